"""One pool of made-up person names, for the demo, seed_scale and the test factories."""

import re
from pathlib import Path

import pytest

from demo.names import GIVEN, NAME_COUNT, SURNAMES, person_name
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import UserFactory
from tests.talent.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[2]


def from_the_pool(name: str) -> bool:
    return name[:1] in SURNAMES and name[1:] in GIVEN


def test_consecutive_person_names_never_repeat_within_the_pool():
    names = [person_name(n) for n in range(NAME_COUNT)]
    assert len(set(names)) == len(names)
    assert all(from_the_pool(name) for name in names)


@pytest.mark.django_db
def test_the_factories_name_people_from_the_pool():
    assert from_the_pool(UserFactory().first_name)
    assert from_the_pool(PersonFactory().name)
    assert from_the_pool(EnterpriseFactory().contact)


def test_no_other_module_keeps_its_own_pool_of_names():
    pools = [
        str(path.relative_to(ROOT))
        for folder in ("bureau", "enterprises", "programs", "talent", "reports", "demo", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "demo" / "names.py"
        and re.search(r"^(SURNAMES|GIVEN|GIVEN_NAMES|FAMILY_NAMES)\s*=", path.read_text(encoding="utf-8"), re.M)
    ]
    assert pools == []
