"""File storage, first try: one file per name, each upload OVERWRITES the previous one.

TODO (see the brief's requirements):
- keep every version of a name (numbered 1, 2, 3... never reused), newest last;
- store each content once, by its sha256 (two versions or two names with the same bytes share it);
- restore(name, version) adds a new version with the old content;
- delete(name, numbers) removes versions, and the bytes nobody uses any more."""
import hashlib
import json
import os


class VersionStore:
    def __init__(self, root):
        self.root = os.path.join(root, "current")
        os.makedirs(self.root, exist_ok=True)

    def _meta(self, name):
        return os.path.join(self.root, name + ".json")

    def put(self, name, data):
        sha256 = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.root, sha256), "wb") as f:
            f.write(data)
        version = {"version": 1, "sha256": sha256, "size": len(data)}  # TODO: a new version each time
        with open(self._meta(name), "w") as f:
            json.dump(version, f)
        return version

    def versions(self, name):
        try:
            with open(self._meta(name)) as f:
                return [json.load(f)]
        except FileNotFoundError:
            return []

    def find(self, name, version=None):
        versions = self.versions(name)
        if version is None:
            return versions[-1] if versions else None
        return next((v for v in versions if v["version"] == version), None)

    def blob_path(self, sha256):
        return os.path.join(self.root, sha256)

    def restore(self, name, version):
        return self.find(name, version)  # TODO: add a new version with this content

    def delete(self, name, numbers):
        return []  # TODO: remove the versions, then the bytes no version uses any more
