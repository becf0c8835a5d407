"""Tumbling-window aggregation: every event falls in the window [start, start + size) that holds its
time; per window and event type we keep count, sum, min and max. A window closes `lateness` seconds
after its end (by the injected clock): its numbers are final and a later event for it is refused."""
import math
import threading


class Aggregator:
    def __init__(self, window_seconds, lateness):
        self.size = window_seconds
        self.lateness = lateness
        self._windows = {}  # window start -> {type: {"count", "sum", "min", "max"}}
        self._lock = threading.Lock()

    def window_of(self, ts):
        return int(math.floor(ts / self.size) * self.size)

    def is_closed(self, start, now):
        return now >= start + self.size + self.lateness

    def add(self, events, now):
        """Adds a validated batch; answers (accepted, late)."""
        accepted = late = 0
        with self._lock:
            for event in events:
                start = self.window_of(event["ts"])
                if self.is_closed(start, now):
                    late += 1
                    continue
                stats = self._windows.setdefault(start, {}).setdefault(event["type"], {"count": 0, "sum": 0, "min": None, "max": None})
                value = event["value"]
                stats["count"] += 1
                stats["sum"] += value
                stats["min"] = value if stats["min"] is None else min(stats["min"], value)
                stats["max"] = value if stats["max"] is None else max(stats["max"], value)
                accepted += 1
        return accepted, late

    def window(self, start, now, only_type=None):
        with self._lock:
            types = self._windows.get(start, {})
            aggregates = [dict(type=name, **stats) for name, stats in sorted(types.items()) if only_type in (None, name)]
        return {"window_start": start, "window_end": start + self.size, "closed": self.is_closed(start, now), "aggregates": aggregates}

    def windows(self, now, only_type=None):
        with self._lock:
            starts = sorted(self._windows)
        found = (self.window(start, now, only_type) for start in starts)
        return [w for w in found if w["aggregates"]]

    def closed_after(self, last_start, now):
        """The closed windows that start after `last_start` (None: all), oldest first."""
        with self._lock:
            starts = sorted(s for s in self._windows if (last_start is None or s > last_start) and self.is_closed(s, now))
        return [self.window(start, now) for start in starts]
