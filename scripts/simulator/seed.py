"""The demo data set: a main account with a catalogue and two child accounts."""

from scripts.simulator.simulator import Simulator

MAIN_ACCOUNT = "1a000000-0000-4000-8000-00000000000a"
CHILD_ACCOUNTS = ("1b000000-0000-4000-8000-00000000000b", "1c000000-0000-4000-8000-00000000000c")
MAIN_TOKEN = "demo-main-token"
CHILD_TOKENS = ("demo-child-1-token", "demo-child-2-token")
FOLDERS = ("Напитки", "Кофе", "Чай")
PRODUCTS_PER_FOLDER = 10


def seed_demo(sim: Simulator) -> dict:
    """Accounts, tokens and a realistic catalogue; returns what was created."""
    sim.add_account(MAIN_ACCOUNT, MAIN_TOKEN)
    for account_id, token in zip(CHILD_ACCOUNTS, CHILD_TOKENS, strict=True):
        sim.add_account(account_id, token)
    root = sim.add_entity(MAIN_ACCOUNT, "productfolder", {"name": FOLDERS[0]})
    folders = [root] + [
        sim.add_entity(MAIN_ACCOUNT, "productfolder", {"name": name, "productFolder": root["id"]})
        for name in FOLDERS[1:]
    ]
    products = []
    for folder in folders:
        for number in range(1, PRODUCTS_PER_FOLDER + 1):
            products.append(
                sim.add_entity(
                    MAIN_ACCOUNT,
                    "product",
                    {
                        "name": f"{folder['name']} №{number}",
                        "article": f"{folder['name'][:3].upper()}-{number:03d}",
                        "productFolder": folder["id"],
                        "salePrices": [
                            {"value": 10000 * number, "priceType": "Цена продажи"},
                            {"value": 8000 * number, "priceType": "Оптовая цена"},
                        ],
                        "buyPrice": 5000 * number,
                        "attributes": {"Бренд": "Демо", "Франшиза москва": number % 2 == 0},
                    },
                )
            )
    variant = sim.add_entity(
        MAIN_ACCOUNT, "variant", {"product": products[0]["id"], "characteristics": {"Размер": "L"}}
    )
    service = sim.add_entity(
        MAIN_ACCOUNT,
        "service",
        {"name": "Доставка", "salePrices": [{"value": 30000, "priceType": "Цена продажи"}]},
    )
    return {
        "main": MAIN_ACCOUNT,
        "children": list(CHILD_ACCOUNTS),
        "folders": len(folders),
        "products": len(products),
        "variants": [variant["id"]],
        "services": [service["id"]],
    }
