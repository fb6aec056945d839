"""Folder names for the console: read from the main account, the filter's folders found."""

from jobs.filters.folder_names import folder_names, folders_in_filter, refresh_folder_names
from tests.jobs import lifecycle_fixtures
from tests.jobs.lifecycle_fixtures import MAIN

franchise = lifecycle_fixtures.franchise


def test_refresh_reads_every_folder_of_the_account_with_its_path(franchise, redis):
    shoes = franchise.sim.add_entity(MAIN, "productfolder", {"name": "Shoes"})
    boots = franchise.sim.add_entity(
        MAIN, "productfolder", {"name": "Boots", "productFolder": {"meta": shoes["meta"]}}
    )
    assert refresh_folder_names(MAIN) == 2
    assert folder_names(redis, MAIN) == {shoes["id"]: "Shoes", boots["id"]: "Shoes/Boots"}


def test_the_folders_a_filter_names_nested_groups_included():
    wanted = {
        "conditions": [
            {"field": "folder", "op": "in", "values": ["a", "b"]},
            {"group": {"conditions": [{"field": "folder", "op": "not_in", "values": ["b", "c"]}]}},
            {"field": "code", "op": "eq", "value": "x"},
        ]
    }
    assert folders_in_filter(wanted) == ["a", "b", "c"]
    assert folders_in_filter(None) == [] and folders_in_filter({"conditions": "bad"}) == []
