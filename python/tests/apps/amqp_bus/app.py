"""A tiny app on the broker seam (docs/exercise-format.md, "Services (RabbitMQ)"): POST /publish
puts a message on a topic exchange named with AMQP_PREFIX, POST /drain takes the queue's."""
from flask import Flask, current_app, jsonify, request


def broker():
    return current_app.config["AMQP_BROKER"]


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(config or {})

    def topology(b):
        prefix = current_app.config["AMQP_PREFIX"]
        b.declare_exchange(prefix + "events", "topic", durable=True)
        b.declare_queue(prefix + "orders", durable=True)
        b.bind_queue(prefix + "orders", prefix + "events", "order.*")
        return prefix

    @app.errorhandler(ConnectionError)
    def down(error):
        return jsonify(error=str(error)), 503

    @app.post("/publish/<key>")
    def publish(key):
        b = broker()
        prefix = topology(b)
        b.publish(prefix + "events", key, request.get_data() or b"{}")
        return "", 202

    @app.post("/drain")
    def drain():
        b = broker()
        prefix = topology(b)
        got = []
        while (m := b.get(prefix + "orders")) is not None:
            got.append(m.routing_key)
            b.ack(m)
        return jsonify(got)

    return app
