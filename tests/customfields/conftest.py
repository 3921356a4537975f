import pytest

EVERY_TYPE = [
    {"key": "customer_no", "label": "Customer number", "type": "text"},
    {"key": "history", "label": "History", "type": "long_text"},
    {"key": "seats", "label": "Seats", "type": "number"},
    {"key": "balance", "label": "Balance", "type": "decimal"},
    {"key": "contract_end", "label": "Contract end", "type": "date"},
    {"key": "vip", "label": "VIP", "type": "boolean"},
    {"key": "plan", "label": "Plan", "type": "single_choice", "choices": ["Basic", "Gold"]},
    {
        "key": "topics",
        "label": "Topics",
        "type": "multiple_choice",
        "choices": ["billing", "outage", "sales"],
    },
    {"key": "portal", "label": "Portal", "type": "url"},
    {"key": "backup_email", "label": "Backup email", "type": "email"},
    {"key": "assistant_phone", "label": "Assistant phone", "type": "phone"},
]


@pytest.fixture
def every_type(alice):
    """Tenant A defines one field of every type, through the API."""
    for body in EVERY_TYPE:
        response = alice.client.post("/api/v1/custom-fields", json=body)
        assert response.status_code == 201, response.text
    return EVERY_TYPE
