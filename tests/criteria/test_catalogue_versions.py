"""Loading catalogue versions into the database: idempotent, immutable, answers kept."""

from pathlib import Path

import pytest

from ctpat.applications.models import AnswerStatus, ProfileAnswer
from ctpat.applications.services import AnswerInput, answer_save, security_profile_ensure
from ctpat.criteria.catalogue import bundled_catalogue_path
from ctpat.criteria.models import CatalogueVersion, Criterion
from ctpat.criteria.services import CatalogueConflict, catalogue_import
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def new_version(tmp_path: Path, *, version: str, effective: str, edit: tuple[str, str] | None = None) -> Path:
    text = bundled_catalogue_path().read_text(encoding="utf-8")
    text = text.replace('version: "2020"', f'version: "{version}"', 1).replace(
        "effective: 2020-01-01", f"effective: {effective}", 1
    )
    if edit:
        text = text.replace(*edit, 1)
    path = tmp_path / f"msc-{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_twice_changes_nothing(catalogue: None) -> None:
    version, created = catalogue_import()
    assert not created
    assert CatalogueVersion.objects.count() == 1
    assert version.criteria.count() == Criterion.objects.count()


def test_a_changed_file_under_the_same_version_is_refused(catalogue: None, tmp_path: Path) -> None:
    path = new_version(
        tmp_path, version="2020", effective="2020-01-01", edit=("statement:", "statement: CHANGED")
    )
    with pytest.raises(CatalogueConflict, match="already loaded with other content"):
        catalogue_import(path=path)


def test_a_new_version_keeps_old_answers_and_carries_them_over(personas: Personas, tmp_path: Path) -> None:
    old_profile = security_profile_ensure(partner=personas.acme)
    answer = old_profile.answers.get(criterion__code="2.3")
    answer_save(
        actor=personas.alice,
        partner=personas.acme,
        answer=answer,
        data=AnswerInput(
            status=AnswerStatus.IMPLEMENTED, narrative="Reviewed every January by the security committee."
        ),
    )
    version, created = catalogue_import(path=new_version(tmp_path, version="2026", effective="2026-06-01"))
    assert created and version.is_current
    assert CatalogueVersion.objects.filter(is_current=True).count() == 1

    new_profile = security_profile_ensure(partner=personas.acme)
    assert new_profile.pk != old_profile.pk and new_profile.catalogue == version
    carried = new_profile.answers.get(criterion__code="2.3")
    assert carried.criterion.catalogue == version
    assert carried.narrative == "Reviewed every January by the security committee."
    # The old answer still points at the criterion text it answered.
    kept = ProfileAnswer.objects.get(pk=answer.pk)
    assert kept.criterion.catalogue.version == "2020"
    assert kept.narrative == carried.narrative
    old_profile.refresh_from_db()
    assert not old_profile.is_current
