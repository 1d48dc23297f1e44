"""kombu's Redis transport with one fix: the worker no longer exits when Redis restarts.

kombu/celery 5.7.0: when the connection to Redis is lost while the worker holds messages it
has not acknowledged (tasks running with acks_late, or waiting for their countdown), closing
the channel tries to put them back through a connection that is already gone and raises
`AttributeError: 'NoneType' object has no attribute 'hostname'`, which Celery treats as
unrecoverable. There is nothing to put back through then: with Redis' own data kept, the
messages come back after the visibility timeout; without it they are gone either way, and
polku.coalescing's sweep enqueues the rebuilds again. Remove this module when kombu fixes
`restore_unacked` on a closed channel (settings: CELERY_BROKER_TRANSPORT)."""

import logging

from kombu.transport import redis

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        connection = self.channel.connection
        if client is None and (connection is None or connection.client is None):
            logger.warning("broker connection lost: unacknowledged messages left to Redis")
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
