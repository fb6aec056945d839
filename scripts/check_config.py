"""python -m scripts.check_config — load the configuration as every process does; exit 1 if bad.

Runs before processes that cannot refuse by themselves (Streamlit starts its server before any
of our code runs), and shows an operator where each setting came from, secrets masked.
"""

import argparse
import os
import sys

from store.settings import DEFAULT_CONFIG_FILE, load_settings, read_environment

SHOWN = ("DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "MOYSKLAD_API_URL", "VENDOR_APP_ID")
SECRET = ("APP_SECRET", "APP_SECRET_PREVIOUS", "ENCRYPTION_SECRET", "ENCRYPTION_SECRET_PREVIOUS",
          "VENDOR_SECRET_KEY")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.check_config", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="print each setting's source")
    args = parser.parse_args(argv)
    load_settings()  # ConfigError (one line naming the variable) ends the process here
    if args.verbose:
        merged = read_environment()
        config_file = os.environ.get("CONFIG_FILE", str(DEFAULT_CONFIG_FILE))
        for name in SHOWN + SECRET:
            if name not in merged:
                continue
            source = "environment" if name in os.environ else config_file
            value = "(set)" if name in SECRET else merged[name]
            print(f"{name}={value}  [{source}]")
    print("configuration ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
