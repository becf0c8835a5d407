import pytest

pytestmark = pytest.mark.usefixtures("amqp_service")


def test_topic_routing_through_the_app(client, amqp_service):
    for key in ("order.created", "user.signed_up", "order.paid"):
        assert client.post("/publish/" + key).status_code == 202
    assert client.post("/drain").get_json() == ["order.created", "order.paid"]
    assert amqp_service.broker().queue_length(amqp_service.name("orders")) == 0


def test_second_instance_shares_the_broker(app_module, client, amqp_service):
    other = app_module.create_app(amqp_service.app_config()).test_client()
    assert client.post("/publish/order.created").status_code == 202
    assert other.post("/drain").get_json() == ["order.created"]


def test_broker_down_is_503(app, client, amqp_service):
    app.config["AMQP_BROKER"] = amqp_service.down_broker()
    assert client.post("/publish/order.created").status_code == 503


def test_a_failing_check(client):
    assert client.post("/drain").get_json() == ["never"], "drained nothing"
