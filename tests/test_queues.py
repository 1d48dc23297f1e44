"""Each kind of work has its queue (settings.QUEUE_KINDS, polku.celery.TASK_KINDS): a task
that nobody gave a kind would silently share a queue with work it must not wait behind."""

from django.conf import settings

from polku.celery import TASK_KINDS, app, task_route


def _task_names():
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_has_a_kind_of_queue():
    assert _task_names() - TASK_KINDS.keys() == set()
    assert set(TASK_KINDS.values()) == set(settings.QUEUE_KINDS)


def test_tasks_are_sent_to_their_kinds_queue_and_a_worker_takes_every_queue():
    def queue(task):
        return task_route(task, [], {}, {})["queue"]

    base = settings.CELERY_TASK_DEFAULT_QUEUE
    assert queue("programmes.live.tasks.summary_build") == f"{base}-live"
    assert queue("polku.uploads.tasks.stored_file_render") == f"{base}-media"
    assert queue("polku.people.tasks.invitation_send") == f"{base}-email"
    assert queue("programmes.progress.tasks.progress_refresh") == f"{base}-progress"
    routed = {queue(name) for name in _task_names()}
    consumed = {q.name for q in app.conf.task_queues}  # a worker without -Q takes these
    assert routed == consumed == {f"{base}-{kind}" for kind in settings.QUEUE_KINDS}


def test_a_task_reaches_its_own_queue_only():
    """Every queue is bound by its own exchange and key, so no message reaches two queues."""
    queues = list(app.conf.task_queues)
    assert len({(q.exchange.name, q.routing_key) for q in queues}) == len(queues)
    assert all(q.routing_key == q.name == q.exchange.name for q in queues)
