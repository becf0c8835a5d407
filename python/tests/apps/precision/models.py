class Book:
    def __init__(self, title):
        self.title = title

    def to_dict(self):
        return {"title": self.title, "internal_notes": "leaked"}
