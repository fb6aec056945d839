"""Every type answers with the fields its documentation page's response examples always show.

For each type, the fields present in every `Response 200` example of its page (md/dictionaries/
and md/documents/) are read from the documentation repository and must be in ours. It runs where
a checkout of github.com/moysklad/api-remap-1.2-doc is at MOYSKLAD_API_DOCS (default
/work/docs/api-remap-1.2-doc) and is skipped, saying so, where none is.
"""

import json
import os
import re
from pathlib import Path

import pytest

from scripts.simulator.samples import seed_samples
from tests.simulator.conftest import ACCOUNT

DOCS = Path(os.environ.get("MOYSKLAD_API_DOCS", "/work/docs/api-remap-1.2-doc")) / "md"
PAGES = {
    "product": "dictionaries/_product.md",
    "service": "dictionaries/_service.md",
    "variant": "dictionaries/_variant.md",
    "bundle": "dictionaries/_bundle.md",
    "productfolder": "dictionaries/_productFolder.md",
    "counterparty": "dictionaries/_counterparty.md",
    "organization": "dictionaries/_organization.md",
    "store": "dictionaries/_store.md",
    "customerorder": "documents/_customerOrder.md",
    "retaildemand": "documents/_retaildemand.md",
    "purchaseorder": "documents/_purchaseOrder.md",
    "currency": "dictionaries/_currency.md",
    "uom": "dictionaries/_uom.md",
    "country": "dictionaries/_country.md",
    "pricetype": "dictionaries/_pricetypes.md",
    "state": "dictionaries/_states.md",
}
DICTIONARIES = {"currency": "currencies", "uom": "uoms", "country": "countries"}


def documented_fields(entity_type: str) -> set[str]:
    """Fields in every response example of the page that is one object of this type."""
    text = (DOCS / PAGES[entity_type]).read_text()
    found = []
    for block in re.finditer(r"Response 200.*?```json\n(.*?)```", text, re.S):
        try:
            value = json.loads(block.group(1))
        except ValueError:
            continue  # some examples are abbreviated with "..."
        rows = value if isinstance(value, list) else value.get("rows", [value])
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and (row.get("meta") or {}).get("type") == entity_type:
                found.append(set(row))
    return set.intersection(*found) if found else set()


@pytest.fixture
def samples(sim):
    made = seed_samples(sim, ACCOUNT)
    account = sim.account(ACCOUNT)
    for kind, attribute in DICTIONARIES.items():
        made[kind] = sim.render(getattr(account, attribute)[0])
    made["pricetype"] = sim.render(account.price_types[0])
    made["state"] = sim.render(account.states["customerorder"][0])
    return made


NO_DOCS = "no checkout of moysklad/api-remap-1.2-doc at MOYSKLAD_API_DOCS"


@pytest.mark.skipif(not DOCS.exists(), reason=NO_DOCS)
@pytest.mark.parametrize("entity_type", sorted(PAGES))
def test_documented_fields_are_all_there(samples, entity_type):
    """md/dictionaries/*.md, md/documents/*.md — each page's response examples."""
    wanted = documented_fields(entity_type)
    assert len(wanted) >= 4, f"no usable example on {PAGES[entity_type]}"
    assert wanted - set(samples[entity_type]) == set()


def test_a_root_folder_has_an_empty_path_name_and_variants_carry_characteristic_meta(sim):
    """md/dictionaries/_productFolder.md (pathName); _variant.md (characteristics)."""
    root = sim.add_entity(ACCOUNT, "productfolder", {"name": "Корень"})
    assert root["pathName"] == ""
    samples = seed_samples(sim, ACCOUNT)
    characteristic = samples["variant"]["characteristics"][0]
    assert (
        characteristic["meta"]["type"] == "attributemetadata" and characteristic["name"] == "Помол"
    )
