"""What a gateway running for months keeps in memory stays bounded (found by benchmarks/bench_soak.py)."""

from server.middleware import REFILL_S, RateLimit


def test_rate_limit_forgets_clients_idle_long_enough_to_be_full_again():
    limit = RateLimit(app=None, per_minute=2, max_clients=1000)
    for n in range(500):
        limit.allow(f"10.0.{n // 256}.{n % 256}", now=0.0)
    assert len(limit.buckets) == 500
    assert limit.allow("10.9.9.9", now=REFILL_S + 1) and list(limit.buckets) == ["10.9.9.9"]


def test_rate_limit_still_limits_a_busy_client():
    limit = RateLimit(app=None, per_minute=2, max_clients=1000)
    assert [limit.allow("10.0.0.1", now=t) for t in (0.0, 1.0, 2.0)] == [True, True, False]
    assert limit.allow("10.0.0.1", now=32.0)  # one token back after 30 s


def test_rate_limit_never_holds_more_than_max_clients():
    limit = RateLimit(app=None, per_minute=60, max_clients=10)
    for n in range(100):
        limit.allow(f"c{n}", now=n / 1000)
    assert len(limit.buckets) == 10 and "c99" in limit.buckets
