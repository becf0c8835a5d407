"""Configuration classes, one per environment: yours to write."""
