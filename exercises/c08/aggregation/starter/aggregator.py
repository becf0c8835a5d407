"""Tumbling-window aggregation (see the brief): your work goes here.

TODO: a class (or functions) that keeps, per window start and event type, count, sum, min and max;
knows when a window is closed (CLOCK() >= window_end + ALLOWED_LATENESS); answers the windows for
GET /api/aggregates and the closed windows after a given start for the stream.
"""
