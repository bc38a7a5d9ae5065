"""Staff accounts: roles from POLICY_STAFF_ACCOUNTS, errors naming the setting, rate limits per account."""

import pytest
from pydantic import ValidationError

from server.accounts import parse_accounts
from server.config import Settings
from server.middleware import RateLimit
from tests.gateway.test_gateway import FakeDialogue, client

ACCOUNTS = "wang:staff:wang-token-1,li:editor:li-token-22"


def test_accounts_are_parsed_with_their_roles():
    credentials = parse_accounts(ACCOUNTS)
    assert [(c.account.name, c.account.role) for c in credentials] == [("wang", "staff"), ("li", "editor")]
    assert credentials[1].account.may("staff") and not credentials[0].account.may("editor")


@pytest.mark.parametrize("spec, named", [("wang:boss:wang-token-1", "role 'boss'"), ("wang:staff", "not name:role:token"),
                                         ("wang:staff:short", "shorter than 8"), ("a:staff:aaaaaaaa,a:staff:bbbbbbbb", "twice")])
def test_a_bad_account_list_names_the_setting_and_entry(spec, named):
    with pytest.raises(ValidationError) as caught:
        Settings(staff_accounts=spec)
    assert "POLICY_STAFF_ACCOUNTS" in str(caught.value) and named in str(caught.value)


def test_whoami_names_the_account_and_its_role(retriever):
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS, staff_token="old-staff-token") as c:
        assert c.get("/api/staff/whoami", headers={"Authorization": "Bearer li-token-22"}).json() == {"name": "li", "role": "editor"}
        assert c.get("/api/staff/whoami", headers={"Authorization": "Bearer old-staff-token"}).json() == {"name": "staff", "role": "staff"}
        assert c.get("/api/staff/whoami", headers={"Authorization": "Bearer li-token-2"}).status_code == 401


def test_staff_behind_one_address_are_limited_per_account_not_per_address(retriever):
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS, rate_limit_per_minute=3, staff_rate_limit_per_minute=5) as c:
        wang = [c.get("/api/staff/whoami", headers={"Authorization": "Bearer wang-token-1"}).status_code for _ in range(6)]
        li = [c.get("/api/staff/whoami", headers={"Authorization": "Bearer li-token-22"}).status_code for _ in range(5)]
        citizen = [c.get("/api/staff/whoami").status_code for _ in range(4)]
    assert wang == [200] * 5 + [429]  # one account's own budget, above the per-address one
    assert li == [200] * 5  # a colleague at the same address is not affected
    assert citizen == [401, 401, 401, 429]  # without a valid token: the address's budget


def test_a_forged_token_counts_against_the_address():
    limit = RateLimit(app=None, per_minute=1, staff_per_minute=100, credentials=parse_accounts(ACCOUNTS))
    assert limit.allow("10.0.0.1", now=0.0) and not limit.allow("10.0.0.1", now=0.1)
    assert all(limit.allow("account:wang", now=0.2) for _ in range(50))
