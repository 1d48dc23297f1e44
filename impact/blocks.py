"""The blocks of a survey instrument: section headings, statements on an agree scale and open
questions, each written in Finnish and English (Swedish when the cohort needs it). A block's
id is the item's identity: comparisons across waves follow it, whatever its wording became."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from programmes.models import GrowthChainStep


class SectionBlock(blocks.StructBlock):
    title_fi = blocks.CharBlock(label=_("Title in Finnish"), max_length=120)
    title_en = blocks.CharBlock(label=_("Title in English"), max_length=120)
    title_sv = blocks.CharBlock(label=_("Title in Swedish"), max_length=120, required=False)

    class Meta:
        icon = "title"
        label = _("Section")
        description = _("A heading that groups the items after it.")


class ItemBlock(blocks.StructBlock):
    text_fi = blocks.CharBlock(label=_("Text in Finnish"), max_length=300)
    text_en = blocks.CharBlock(label=_("Text in English"), max_length=300)
    text_sv = blocks.CharBlock(label=_("Text in Swedish"), max_length=300, required=False)
    theme = blocks.CharBlock(
        label=_("Theme"),
        max_length=60,
        required=False,
        help_text=_("A theme of the path, such as 'Feedback'. Results are also shown by theme."),
    )
    growth_chain_step = blocks.ChoiceBlock(
        label=_("Step in the growth chain"), choices=GrowthChainStep.choices, required=False
    )


class StatementBlock(ItemBlock):
    class Meta:
        icon = "list-ol"
        label = _("Statement (agree 1–5)")
        description = _("Answered from 1 (strongly disagree) to 5 (strongly agree), or can't say.")


class OpenQuestionBlock(ItemBlock):
    class Meta:
        icon = "edit"
        label = _("Open question")
        description = _("A free-text answer. Shown to the supervisor only with enough answers.")


class SurveyStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    statement = StatementBlock()
    open = OpenQuestionBlock()
