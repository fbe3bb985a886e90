"""One rule of access for every service and the portal (contracts.access)."""

from contracts.access import may_read, may_use_draft, may_write


def test_every_user_of_an_employer_reads_the_company_history_and_an_agent_does_not():
    assert may_read({"requester"}) and may_read({"admin"}) and may_read({"requester", "admin"})
    assert not may_read({"agent"}) and not may_read(set())


def test_a_request_is_changed_by_its_requester_and_the_employers_admins_only():
    assert may_write({"requester"}, "anna", requester_id="anna")
    assert not may_write({"requester"}, "bert", requester_id="anna")
    assert may_write({"admin"}, "chef", requester_id="anna")
    assert not may_write({"agent"}, "anna", requester_id="anna")
    assert not may_write({"requester"}, "anna", requester_id=None)


def test_a_draft_is_its_authors_alone_even_for_an_admin():
    assert may_use_draft({"requester"}, "anna", author_id="anna")
    assert not may_use_draft({"admin"}, "chef", author_id="anna")
    assert not may_use_draft({"agent"}, "anna", author_id="anna")
