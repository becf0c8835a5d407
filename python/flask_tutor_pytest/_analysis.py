"""The failure analysis: from a check's exception and the requests it made, the plain-language
message, the expected/actual pair, the learner's line to change and the author's hint. A mixin of
the run state (_run.State), which holds the learner's folder, the loaded app and the records."""

import os
import sys

import pytest

from ._compare import _assert_in_check, _check_code, _compare_fields, _raising_line, _statuses_expected_by
from ._records import AppLoadFailed
from ._timeout import CheckTimeout
from ._util import (
    blame,
    deepest_frame_in,
    deepest_learner_location,
    ends_sentence,
    exc_line,
    full_stop,
    learner_location_from_frame,
    norm,
    own_learner_location,
)


def _is_module(obj):
    import types

    return isinstance(obj, types.ModuleType)


class FailureAnalysis:
    """Turns a failed or errored check into its message, location and data (see docs/verify-protocol.md)."""

    # -- results -------------------------------------------------------------------------
    def analyze(self, item, rec, exc, when):
        self._analyze(item, rec, exc, when)
        if rec.location is None and rec.outcome == "failed":
            rec.location = self._no_route_location(rec, exc)

    def apply_guidance(self, item, rec, exc):
        """The check author's ``hint`` and ``blame`` (helpers.about, or the check's markers)."""
        hint = getattr(exc, "flask_tutor_hint", None)
        blame = getattr(exc, "flask_tutor_blame", None)
        if hint is None:
            m = item.get_closest_marker("hint")
            hint = m.args[0] if m is not None and m.args else None
        if blame is None:
            m = item.get_closest_marker("blame")
            blame = m.args[0] if m is not None and m.args else None
        if hint:
            rec.hint = str(hint)
        if blame and self.learner is not None:
            try:
                from ._blame import blame_location

                loc = blame_location(str(blame), self.learner, self.loaded)
            except Exception:
                loc = None
            if loc is not None:
                rec.location = loc

    def _analyze(self, item, rec, exc, when):
        from ._client import route_problem
        from ._explain import decorator_order_note, explain_exception
        from ._loader import LoadError
        from .helpers import CheckFailed

        learner = self.learner
        check_file = norm(str(item.path))
        is_check = _check_code(check_file, learner)
        rec.check_location = deepest_frame_in(exc.__traceback__, lambda f: norm(f) == check_file)
        if rec.check_location is None:  # raised in a helper module of the checks folder
            rec.check_location = deepest_frame_in(exc.__traceback__, is_check)

        if isinstance(exc, AppLoadFailed):
            le = exc.load_error
            rec.message, rec.location, rec.traceback = le.message, le.location, le.traceback
            rec.outcome = "errored"
            return
        if isinstance(exc, LoadError):  # pragma: no cover - defensive
            rec.message, rec.location = exc.message, exc.location
            return
        if isinstance(exc, CheckTimeout):
            loc = learner_location_from_frame(exc.frame, learner) or deepest_learner_location(exc, learner)
            rec.location = loc
            pending = [r for r in rec.requests if r.status is None and r.exception is exc]
            msg = "The check took longer than %ss — is there an infinite loop?" % ("%g" % exc.seconds)
            if loc:
                msg += " Your code was running %s, line %d" % (learner.rel(loc["file"]), loc["line"])
                if pending:
                    msg += " while answering %s" % pending[-1].label
                    if pending[-1].endpoint:
                        msg += " (view %r)" % pending[-1].endpoint
                msg += "."
            elif pending:
                msg += " It was answering %s." % pending[-1].label
            rec.message = msg
            rec.outcome = "failed"
            return

        crashed = [r for r in rec.requests if r.exception is not None and r.status in (500, None)]
        # A 404/405 the check provoked on purpose (its code expects that status) gets no route
        # advice: "Add 'DELETE' to methods" would contradict the brief.
        deliberate = _statuses_expected_by(item)
        problems = [
            r for r in rec.requests
            if r.match in ("no-route", "method", "redirect") and r.status not in deliberate
        ]

        if isinstance(exc, pytest.fail.Exception):
            # pytest.fail("...") (and pytest.raises' "DID NOT RAISE"): an ordinary check failure
            # whose message is the text, exactly as written.
            text = getattr(exc, "msg", None)
            parts = [str(text).strip() if text else "The check failed."]
            self._request_context(rec, parts, crashed, problems, route_problem)
            if len(parts) > 1:  # more sentences follow the text
                parts[0] = full_stop(parts[0])
            rec.message = " ".join(parts)
            return

        if isinstance(exc, CheckFailed):
            # A plain verdict of the check: the message, the diff and the requests say it all; the
            # check's own traceback is our internals, not something the learner can act on.
            rec.traceback = None
            rec.message = exc.message
            rec.expected, rec.actual = exc.expected, exc.actual
            from ._client import record_for

            r = record_for(exc.response) if exc.response is not None else None
            if r is not None and r.exception is not None and r.status in (500, None):
                rec.location = self._fix_location(r.exception, deepest_learner_location(r.exception, learner))
                rec.message = full_stop(rec.message) + " " + self._crash_sentence(r)
            elif r is not None and r.view_location and learner and learner.contains(r.view_location["file"]):
                rec.location = r.view_location
            return

        if isinstance(exc, AssertionError) and _assert_in_check(exc, is_check):
            rec.traceback = None  # as for CheckFailed: the sentence and the diff, not pytest's rewrite
            text = str(exc)
            author = None
            if text and not text.startswith("assert "):
                author = text.split("\nassert ", 1)[0].strip()
            parts = []
            if rec.compare is not None and rec.compare_at not in (None, _raising_line(exc)):
                rec.compare = None  # from an earlier assert (one the check caught), not this one
            if rec.compare is not None:
                op, left, right = rec.compare
                last = rec.requests[-1] if rec.requests else None
                rec.expected, rec.actual, sentence, about_status = _compare_fields(op, left, right, last, rec.compare_literal)
                # with the author's own message, only "==" on a status adds its sentence (as it
                # always did); the other operators just fill expected/actual
                if sentence and (not author or (about_status and op == "==")):
                    parts.append(sentence)
            if author:
                parts.insert(0, full_stop(author))
            if not parts:
                first = text.splitlines()[0] if text else ""
                parts.append(("The check failed: %s" % full_stop(first)) if first else "The check failed.")
            self._request_context(rec, parts, crashed, problems, route_problem)
            rec.message = " ".join(parts)
            return

        # Any other exception. Blame goes by the frames of the exception that was raised (not
        # the one it was raised while handling): the learner's code, the check's own code, or
        # neither (a library the check called).
        kind, raised_in_check = blame(exc, learner, is_check)
        detail = explain_exception(exc, learner, rec.app)
        req = next((r for r in reversed(crashed) if r.exception is exc), None)
        if kind == "learner" or req is not None:
            # the learner's code raised it, or the app did while answering a request (an
            # extension's hook, a view that returned nothing...)
            loc = own_learner_location(exc, learner)
            if req is None and crashed:
                req = crashed[-1]
            view = req.view_location if req is not None else None
            if loc is None and view and learner is not None and learner.contains(view["file"]):
                loc = view
            rec.location = self._fix_location(exc, loc)
            if req is not None:
                rec.message = self._crash_sentence(req)
                order = decorator_order_note(rec.app, [r.endpoint for r in rec.requests if r.endpoint])
                if order:
                    rec.message = "%s %s" % (order, rec.message)
            else:
                msg = "Your code raised %s (%s, line %d)." % (exc_line(exc), learner.rel(loc["file"]), loc["line"])
                rec.message = msg + (" " + detail if detail else "")
            return
        json_hint = self._not_json_hint(exc, rec)
        if json_hint:
            rec.message = json_hint
            return
        missing = self._missing_learner_name(exc)
        if missing is not None:
            rec.message, rec.location = missing
            return
        if raised_in_check:
            # A bug of the check itself (a typo, an unguarded lookup, an error raised while
            # handling another one): errored, and never blamed on the learner.
            rec.outcome = "errored"
            where = ""
            cl = rec.check_location
            if cl:
                where = " (%s, line %d)" % (os.path.basename(cl["file"]), cl["line"])
            rec.message = (
                "The check itself failed: its own code raised %s%s. This is an error in the check, "
                "not a verdict on your code." % (exc_line(exc).rstrip("."), where)
            )
            return
        if detail:
            rec.message = detail
        else:
            rec.message = "The check stopped with %s" % ends_sentence(exc_line(exc))
        if problems:
            hint = route_problem(problems[-1], learner)
            if hint:
                rec.message = full_stop(rec.message) + " " + hint

    def _request_context(self, rec, parts, crashed, problems, route_problem):
        """Add what the requests of a failed check tell (no route / method, a crash) to
        ``parts``, and point ``rec.location`` at the learner's code to look at."""
        learner = self.learner
        if problems:
            hint = route_problem(problems[-1], learner)
            if hint:
                parts.append(hint)
        if crashed:
            parts.append(self._crash_sentence(crashed[-1]))
            exc = crashed[-1].exception
            rec.location = self._fix_location(exc, deepest_learner_location(exc, learner))
        elif (
            learner is not None
            and rec.requests
            and rec.requests[-1].view_location
            and learner.contains(rec.requests[-1].view_location["file"])
        ):
            rec.location = rec.requests[-1].view_location

    def _no_route_location(self, rec, exc):
        """When the request the check looked at matched no route (a 404 no view answered),
        where the app's routes are registered: the factory's ``def`` line, or the line creating
        a module-level app. None otherwise."""
        from ._client import record_for
        from ._loader import app_setup_location
        from .helpers import CheckFailed

        r = None
        if isinstance(exc, CheckFailed) and exc.response is not None:
            r = record_for(exc.response)
        if r is None and rec.requests:
            r = rec.requests[-1]
        if r is None or r.match != "no-route" or self.loaded is None or self.learner is None:
            return None
        return app_setup_location(self.loaded, self.learner)

    def _missing_learner_name(self, exc):
        """(message, location) when the check looked up a name the learner's code lacks
        (``app_module.slugify``, ``from app import slugify``, ``Item.title``): the learner's
        failure, even though the check's own line raised it. None otherwise."""
        import re

        from ._util import location

        learner = self.learner
        name = getattr(exc, "name", None)
        if learner is None or not name:
            return None
        cls = None
        if isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError):
            filename = getattr(exc, "path", None)
            m = re.search(r"cannot import name '([^']+)'", str(exc))
            if not (filename and m):
                return None
            owner, attr = name, m.group(1)
        elif isinstance(exc, AttributeError) and getattr(exc, "obj", None) is not None:
            obj, attr = exc.obj, name
            if _is_module(obj):
                owner, filename = obj.__name__, getattr(obj, "__file__", None)
            else:
                cls = obj if isinstance(obj, type) else type(obj)
                module = sys.modules.get(getattr(cls, "__module__", None) or "")
                owner, filename = cls.__name__, getattr(module, "__file__", None)
        else:
            return None
        if not filename or not learner.contains(filename):
            return None
        rel = learner.rel(filename)
        line = 1
        if cls is not None:
            where = "%s (%s) has no attribute %r" % (cls.__name__, rel, attr)
            pattern = re.compile(r"^\s*class\s+%s\b" % re.escape(cls.__name__))
            import linecache

            line = next((n for n, t in enumerate(linecache.getlines(filename), 1) if pattern.match(t)), 1)
        else:
            where = "%s defines no %r" % (rel, attr)
        message = "The check uses %s.%s, but %s. Define it, or check its spelling." % (owner, attr, where)
        return message, location(filename, line)

    def _fix_location(self, exc, loc):
        """Where the learner should change something for ``exc``: a missing SECRET_KEY is fixed
        where the app is created (the factory), not in the view that touched the session."""
        from ._explain import is_missing_secret_key

        if is_missing_secret_key(exc) and self.loaded is not None:
            from ._loader import app_setup_location

            where = app_setup_location(self.loaded, self.learner)
            if where:
                return where
        return loc

    def _crash_sentence(self, r):
        from ._explain import explain_exception

        exc = r.exception
        loc = deepest_learner_location(exc, self.learner)
        where = ""
        if loc:
            where = " (%s, line %d)" % (self.learner.rel(loc["file"]), loc["line"])
        view = (" in the view %r" % r.endpoint) if r.endpoint else ""
        detail = explain_exception(exc, self.learner, r.app)
        if detail:
            return "%s crashed%s%s. %s" % (r.label, view, where, detail)
        return ends_sentence("%s crashed%s%s: %s" % (r.label, view, where, exc_line(exc).rstrip(".")))

    def _not_json_hint(self, exc, rec):
        if not rec.requests:
            return None
        text = str(exc)
        names = {c.__name__ for c in type(exc).__mro__}
        last = rec.requests[-1]
        looks_json = (
            # reading a key of get_json()'s None: only when the answer really was not JSON
            (isinstance(exc, TypeError) and "NoneType" in text and last.is_json is False)
            or "JSONDecodeError" in names
            or "UnsupportedMediaType" in names
            or ("BadRequest" in names and "JSON" in text)
        )
        if not looks_json:
            return None
        from ._client import route_problem

        text = "%s did not answer with JSON, so reading its JSON gave nothing (%s)." % (last.label, exc_line(exc))
        # no route (or not for this method): no view ran, so say that instead of how to return JSON
        hint = route_problem(last, self.learner) if last.match in ("no-route", "method") else None
        return "%s %s" % (text, hint or "Return a dict or list (or jsonify(...)) from the view.")

    def result_event(self, rec):
        return {
            "nodeid": rec.nodeid,
            "outcome": rec.outcome or "passed",
            "duration": round(rec.duration, 6),
            "message": rec.message,
            "expected": rec.expected if rec.expected is not None and rec.actual is not None else None,
            "actual": rec.actual if rec.expected is not None and rec.actual is not None else None,
            "location": rec.location,
            "checkLocation": rec.check_location,
            "requests": [r.to_event() for r in rec.requests],
            "output": rec.output,
            "traceback": rec.traceback,
            "hint": rec.hint,
        }
