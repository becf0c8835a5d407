def test_which(client):
    print("ANSWER=" + client.get("/").get_data(as_text=True))
