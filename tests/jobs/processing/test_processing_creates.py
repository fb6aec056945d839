"""Main account CREATE (and UPDATE of what a child lacks): create tasks, filters per child."""

import pytest

from jobs.processing.webhook import process_webhook
from store.logs import get_log
from store.mappings import add_mapping
from store.tasks import list_tasks
from tests.jobs.processing_helpers import deliver, event, make_franchise, new_id


@pytest.fixture
def franchise(settings, db, redis):
    return make_franchise(settings.app_secret)


def test_create_without_filters_writes_a_create_task_per_child_and_reads_nothing(franchise):
    # The test settings point МойСклад at a closed port: any read would fail the job.
    products = [new_id() for _ in range(3)]
    log_id = deliver(
        franchise.main, [event(franchise.main, "product", p, "CREATE") for p in products]
    )
    process_webhook(log_id)
    tasks = list_tasks()
    assert {(t.operation, t.priority) for t in tasks} == {("create", 7)}
    assert {(str(t.target_account_id), t.entity_id) for t in tasks} == {
        (child, product) for child in franchise.children for product in products
    }
    assert get_log(log_id).tasks_created == 9


def test_update_of_an_entity_a_child_lacks_is_a_create_for_that_child(franchise):
    product = new_id()
    add_mapping(franchise.children[0], "product", product, new_id())
    process_webhook(
        deliver(franchise.main, [event(franchise.main, "product", product, "UPDATE", ["name"])])
    )
    operations = {str(t.target_account_id): (t.operation, t.priority) for t in list_tasks()}
    assert operations == {
        franchise.children[0]: ("update", 10),
        franchise.children[1]: ("create", 7),
        franchise.children[2]: ("create", 7),
    }
