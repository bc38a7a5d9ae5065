"""Prometheus metrics of the gateway (exposed at /metrics)."""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("gateway_requests_total", "HTTP requests", ["route", "status"])
LATENCY = Histogram("gateway_request_seconds", "HTTP request latency", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10))
ANSWERS = Counter("assistant_answers_total", "Policy answers by outcome", ["channel", "answerable"])
HANDOFFS = Counter("assistant_handoffs_total", "Conversations handed to a person", ["channel"])
JOURNAL_FAILURES = Counter("assistant_journal_failures_total", "Turns whose conversation journal rows could not be written")
FALLBACKS = Counter("assistant_dialogue_fallbacks_total", "Answers served from retrieval while the dialogue manager was down")
BREAKER_OPEN = Gauge("dependency_breaker_open", "1 while a dependency's circuit breaker is open (turns answered from retrieval)", ["dependency"])
BREAKER_TRIPS = Counter("dependency_breaker_trips_total", "Times a dependency's circuit breaker opened", ["dependency"])
