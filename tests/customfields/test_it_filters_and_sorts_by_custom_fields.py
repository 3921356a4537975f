"""Bob filters and sorts the contact list by custom fields, through the API and the page."""

import pytest

from tests.web.helpers import signed_in


@pytest.fixture
def customers(alice, every_type):
    people = [
        (
            "Ada",
            {
                "contract_end": "2026-06-30",
                "vip": True,
                "seats": 5,
                "plan": "Gold",
                "topics": ["billing"],
                "balance": 10.5,
            },
        ),
        (
            "Ben",
            {
                "contract_end": "2027-03-01",
                "vip": False,
                "seats": 50,
                "plan": "Basic",
                "topics": ["billing", "sales"],
                "balance": -2,
            },
        ),
        ("Cy", {"seats": 12}),
    ]
    for name, values in people:
        response = alice.client.post(
            "/api/v1/contacts", json={"first_name": name, "custom_fields": values}
        )
        assert response.status_code == 201, response.text
    alice.client.patch("/api/v1/custom-fields/plan", json={"show_in_list": True})


def names(response):
    assert response.status_code == 200, response.text
    return [c["first_name"] for c in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"cf.contract_end[lt]": "2027-01-01"}, ["Ada"]),
        ({"cf.contract_end[gte]": "2026-06-30"}, ["Ada", "Ben"]),
        ({"cf.vip": "true"}, ["Ada"]),
        ({"cf.vip": "false"}, ["Ben"]),
        ({"cf.seats[gt]": "10"}, ["Ben", "Cy"]),
        ({"cf.seats": "12"}, ["Cy"]),
        ({"cf.balance[lt]": "0"}, ["Ben"]),
        ({"cf.plan": "gold"}, ["Ada"]),
        ({"cf.plan[ne]": "Gold"}, ["Ben", "Cy"]),
        ({"cf.topics": "sales"}, ["Ben"]),
        ({"cf.topics": "billing"}, ["Ada", "Ben"]),
        ({"cf.vip[empty]": "true"}, ["Cy"]),
        ({"cf.seats[gt]": "1", "cf.plan": "Basic"}, ["Ben"]),
    ],
)
def test_it_filters_the_api_list(bob, customers, params, expected):
    assert names(bob.client.get("/api/v1/contacts", params=params)) == expected


def test_it_sorts_by_a_custom_field_a_page_at_a_time(bob, customers):
    first = bob.client.get("/api/v1/contacts", params={"sort": "-cf.seats", "limit": 2})
    assert names(first) == ["Ben", "Cy"]
    rest = bob.client.get(
        "/api/v1/contacts",
        params={"sort": "-cf.seats", "limit": 2, "cursor": first.json()["next_cursor"]},
    )
    assert names(rest) == ["Ada"]
    assert names(bob.client.get("/api/v1/contacts", params={"sort": "cf.contract_end"})) == [
        "Cy",
        "Ada",
        "Ben",
    ]


@pytest.mark.parametrize(
    ("params", "loc", "reason"),
    [
        ({"cf.nope": "1"}, ["query", "cf", "nope"], "not a custom field"),
        ({"cf.contract_end[lt]": "soon"}, ["query", "cf", "contract_end"], "not a date"),
        ({"cf.plan[lt]": "Gold"}, ["query", "cf", "plan"], "number or date"),
        ({"sort": "cf.nope"}, ["query", "sort"], "not a custom field"),
    ],
)
def test_it_refuses_a_bad_filter_naming_it(bob, customers, params, loc, reason):
    response = bob.client.get("/api/v1/contacts", params=params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc and reason in error["msg"]


def test_the_list_page_filters_and_shows_list_fields(app, bob, customers):
    page = signed_in(app, bob).get("/contacts", params={"cf.seats[gt]": "10", "sort": "cf.seats"})
    assert page.status_code == 200
    assert page.text.index(">Cy<") < page.text.index(">Ben<") and ">Ada<" not in page.text
    assert '<th scope="col" class="hide-narrow">Plan</th>' in page.text
    assert 'data-cf="plan">Basic</td>' in page.text
    assert "cf.seats%5Bgt%5D=10" in page.text or "Next page" not in page.text
    refused = signed_in(app, bob).get("/contacts", params={"cf.nope": "1"})
    assert "not a custom field" in refused.text
