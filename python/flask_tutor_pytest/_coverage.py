"""Line coverage of the learner's own files (coverage.py API; data kept in the run's temp dir)."""

import json
import os
import sys

from ._util import SKIP_DIRS


class LearnerCoverage:
    def __init__(self, spec, learner, data_dir):
        self.out = spec[5:] if spec.startswith("file:") else spec
        self.learner = learner
        self.data_dir = data_dir
        self.cov = None
        self.error = None

    def start(self):
        if sys.version_info >= (3, 12):
            # coverage >= 7.4 can use sys.monitoring there (much cheaper); older ones ignore this
            os.environ.setdefault("COVERAGE_CORE", "sysmon")
        try:
            import coverage
        except ImportError as e:
            self.error = "coverage.py is not installed (python -m pip install coverage): %s" % e
            return
        omit = [os.path.join(self.learner.path, d, "*") for d in sorted(SKIP_DIRS)]
        omit += [os.path.join(self.learner.path, v, "*") for v in sorted(self.learner._venvs)]
        self.cov = coverage.Coverage(
            data_file=os.path.join(self.data_dir, ".coverage"),
            source=[self.learner.path],
            omit=omit,
            config_file=False,
            branch=False,
        )
        try:
            self.cov.set_option(
                "run:disable_warnings",
                ["no-data-collected", "module-not-imported", "module-not-measured", "couldnt-parse", "no-ctracer"],
            )
        except Exception:
            pass
        self.cov.start()

    def _learner_files(self, limit=500):
        found = []
        for dirpath, dirnames, filenames in os.walk(self.learner.path):
            dirnames[:] = [
                d for d in dirnames if d not in SKIP_DIRS and d not in self.learner._venvs and not d.startswith(".")
            ]
            for f in filenames:
                if f.endswith(".py"):
                    found.append(os.path.join(dirpath, f))
                    if len(found) >= limit:
                        return found
        return found

    def stop_and_write(self):
        if self.cov is None:
            if self.error:
                self._write({"files": {}, "error": self.error})
            return
        try:
            self.cov.stop()
        except Exception:
            pass
        files = {}
        try:
            data = self.cov.get_data()
            measured = [f for f in data.measured_files() if self.learner.contains(f)]
        except Exception:
            measured = []
        seen = {os.path.normcase(os.path.abspath(f)) for f in measured}
        for f in self._learner_files():
            if os.path.normcase(os.path.abspath(f)) not in seen:
                measured.append(f)
        for f in measured:
            try:
                _, statements, _, missing, _ = self.cov.analysis2(f)
            except Exception:
                continue  # not Python source coverage can parse
            miss = sorted(set(missing))
            executed = sorted(set(statements) - set(miss))
            files[os.path.abspath(f)] = {"executed": executed, "missing": miss}
        self._write({"files": files})

    def _write(self, payload):
        tmp = self.out + ".tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
            os.replace(tmp, self.out)
        except OSError:
            pass
