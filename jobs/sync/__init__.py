"""The sync executor: applying `sync_queue` tasks to the accounts through the МойСклад API."""
