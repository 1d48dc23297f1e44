"""kombu's Redis transport with one fix: the worker no longer exits when Redis restarts.

kombu/celery 5.7.0: when the connection to Redis is lost while the worker holds messages it
has not acknowledged (tasks running with acks_late, or waiting for their countdown), the
channel is left without its connection, and the next thing that needs a Redis client from
it (putting unacknowledged messages back while the channel closes, or acknowledging a task
that finished meanwhile) raises `AttributeError: 'NoneType' object has no attribute
'hostname'` (or `'client'`). Celery treats that as unrecoverable and the worker exits.

Here a channel without its connection raises Redis' own ConnectionError instead, which
Celery and kombu already handle as "the broker went away": closing goes on, an ack is
logged as failed, the worker reconnects. Nothing is lost by it: with Redis' data kept, the
unacknowledged messages come back after the visibility timeout (tasks are idempotent);
without it they were gone either way, and polku.coalescing's sweep enqueues the rebuilds
again. Remove this module when kombu handles a channel without a connection
(settings: CELERY_BROKER_TRANSPORT)."""

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection is gone")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
