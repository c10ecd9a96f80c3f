"""Benchmarks (speed and memory targets are measured here, never by timed assertions in tests)."""
