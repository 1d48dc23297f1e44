"""The page tree an editor can build, and that every page model has a factory."""

from django.apps import apps
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from programmes.models import (
    AssignmentPage,
    ProgrammeIndexPage,
    ProgrammePage,
    TrainingDayPage,
)
from tests import factories


class PageTreeTests(WagtailPageTestCase):
    def test_only_programmes_go_in_the_paths_folder(self):
        self.assertAllowedSubpageTypes(ProgrammeIndexPage, {ProgrammePage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})

    def test_a_programme_holds_days_assignments_team_surveys_and_mentoring_guides_only(self):
        from impact.models import SurveyPage
        from mentoring.models import MentoringGuidePage

        self.assertAllowedSubpageTypes(
            ProgrammePage, {TrainingDayPage, AssignmentPage, SurveyPage, MentoringGuidePage}
        )
        self.assertAllowedParentPageTypes(SurveyPage, {ProgrammePage})
        self.assertAllowedParentPageTypes(MentoringGuidePage, {ProgrammePage})
        self.assertAllowedSubpageTypes(MentoringGuidePage, set())
        self.assertAllowedSubpageTypes(SurveyPage, set())
        self.assertAllowedParentPageTypes(TrainingDayPage, {ProgrammePage})
        self.assertAllowedParentPageTypes(AssignmentPage, {ProgrammePage})

    def test_days_and_assignments_have_no_children(self):
        self.assertAllowedSubpageTypes(TrainingDayPage, set())
        self.assertAllowedSubpageTypes(AssignmentPage, set())

    def test_an_editor_cannot_put_a_day_directly_in_the_paths_folder(self):
        self.assertCanNotCreateAt(ProgrammeIndexPage, TrainingDayPage)
        self.assertCanNotCreateAt(Page, ProgrammePage)

    def test_a_trainer_builds_a_training_day_with_materials_in_the_admin(self):
        self.login()
        programme = factories.ProgrammePageFactory()
        self.assertCanCreate(
            programme,
            TrainingDayPage,
            nested_form_data(
                {
                    "title": "Valmentava keskustelu",
                    "slug": "valmentava-keskustelu",
                    "intro": "",
                    "growth_chain_step": "strategy",
                    "agenda": streamfield([("item", {"time": "9.00", "title": "Aloitus"})]),
                    "live_questions": streamfield(
                        [
                            (
                                "question",
                                {
                                    "kind": "words",
                                    "prompt": "Yksi sana?",
                                    "choices": streamfield([]),
                                    "scale_max": "5",
                                    "min_label": "",
                                    "max_label": "",
                                    "anonymous": True,
                                },
                            )
                        ]
                    ),
                    "materials": streamfield(
                        [
                            ("rich_text", rich_text("<p>Tervetuloa</p>")),
                            (
                                "reflection_question",
                                {"question": "Mikä onnistui?", "help_text": ""},
                            ),
                            ("callout", {"tone": "tip", "text": rich_text("<p>Vinkki</p>")}),
                        ]
                    ),
                }
            ),
        )
        day = TrainingDayPage.objects.get(slug="valmentava-keskustelu")
        assert [block.value["prompt"] for block in day.live_questions] == ["Yksi sana?"]
        assert [block.block_type for block in day.materials] == [
            "rich_text",
            "reflection_question",
            "callout",
        ]

    def test_pages_are_editable_and_previewable(self):
        self.login()
        day = factories.TrainingDayPageFactory()
        assignment = factories.AssignmentPageFactory(parent=day.get_parent())
        forms = {
            day: {
                "title": day.title,
                "slug": day.slug,
                "intro": "",
                "growth_chain_step": "",
                "agenda": streamfield([]),
                "materials": streamfield([]),
                "live_questions": streamfield([]),
            },
            assignment: {
                "title": assignment.title,
                "slug": assignment.slug,
                "intro": "",
                "growth_chain_step": "",
                "answer_scope": "individual",
                "instructions": streamfield([]),
                "answer_parts": streamfield([]),
            },
        }
        for page, form in forms.items():
            self.assertPageIsEditable(page, nested_form_data(form))
            self.assertPageIsPreviewable(page, post_data=nested_form_data(form))


def test_every_page_model_has_a_factory():
    page_models = {
        model for model in apps.get_models() if issubclass(model, Page) and model is not Page
    }
    factory_models = {
        getattr(factories, name)._meta.model
        for name in dir(factories)
        if name.endswith("PageFactory")
    }
    assert page_models <= factory_models, page_models - factory_models
