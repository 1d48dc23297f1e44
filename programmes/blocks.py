"""StreamField blocks of a path. One stream of materials is shared by training days and
assignment instructions; the answer form of an assignment has its own small stream."""

from django.db import models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AbstractMediaChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "programmes/blocks/image.html"
        label = _("Image")
        description = _("A photo or picture with an optional caption.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "programmes/blocks/document.html"
        label = _("Document")
        description = _("A file to download, such as slides or a worksheet.")


class MediaBlock(AbstractMediaChooserBlock):
    """A video or sound file the trainer uploaded (programmes.MaterialMedia), played from the
    web copy the worker made, with its poster; privately, with range requests."""

    class Meta:
        icon = "media"
        template = "programmes/blocks/media.html"
        label = _("Uploaded video or sound")

    def render_basic(self, value, context=None):
        return render_to_string(self.meta.template, {"value": value})


class ReflectionQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.TextBlock(label=_("Help text"), required=False)

    class Meta:
        icon = "help"
        template = "programmes/blocks/reflection_question.html"
        label = _("Reflection question")
        description = _("A question for participants to think about.")
        preview_value = {"question": "Mikä onnistui tällä viikolla?"}


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("Tone"),
        choices=[("tip", _("Tip")), ("info", _("Information")), ("warning", _("Important"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "programmes/blocks/callout.html"
        label = _("Callout")
        description = _("A highlighted note: a tip, information or something important.")


class MaterialStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="programmes/blocks/rich_text.html",
    )
    image = ImageBlock()
    video = EmbedBlock(
        label=_("Video"),
        help_text=_("Address of a video, e.g. on YouTube or Vimeo."),
        icon="media",
    )
    media = MediaBlock()
    document = DocumentBlock()
    reflection_question = ReflectionQuestionBlock()
    callout = CalloutBlock()


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(
        label=_("Time"), max_length=20, required=False, help_text=_("For example 9.00–10.30")
    )
    title = blocks.CharBlock(label=_("Item"), max_length=200)

    class Meta:
        icon = "time"
        template = "programmes/blocks/agenda_item.html"
        label = _("Agenda item")


class AnswerTextBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("What to write"), max_length=200)
    help_text = blocks.TextBlock(label=_("Help text"), required=False)
    required = blocks.BooleanBlock(
        label=_("Required to submit"),
        required=False,
        default=False,
        help_text=_("A draft saves without it; submitting asks for it."),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Written answer")


class AnswerPhotosBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("What to photograph"), max_length=200)
    max_photos = blocks.IntegerBlock(label=_("Most photos"), min_value=1, max_value=20, default=5)
    required = blocks.BooleanBlock(
        label=_("Required to submit"),
        required=False,
        default=False,
        help_text=_("A draft saves without it; submitting asks for it."),
    )

    class Meta:
        icon = "image"
        label = _("Photos")


class AnswerFilesBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("What to attach"), max_length=200)
    required = blocks.BooleanBlock(
        label=_("Required to submit"),
        required=False,
        default=False,
        help_text=_("A draft saves without it; submitting asks for it."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Files")


class AnswerReflectionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    kind = blocks.ChoiceBlock(
        label=_("Answer with"),
        choices=[
            ("text", _("Text")),
            ("scale", _("A scale from 1 to 5")),
            ("choice", _("One of the choices")),
        ],
        default="text",
    )
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=100), label=_("Choices"), required=False, default=[]
    )
    required = blocks.BooleanBlock(
        label=_("Required to submit"),
        required=False,
        default=False,
        help_text=_("A draft saves without it; submitting asks for it."),
    )

    class Meta:
        icon = "help"
        label = _("Reflection question")


class AnswerPartsBlock(blocks.StreamBlock):
    text = AnswerTextBlock()
    photos = AnswerPhotosBlock()
    files = AnswerFilesBlock()
    reflection = AnswerReflectionBlock()


class LiveQuestionKind(models.TextChoices):
    """The one list of live question kinds: prepared on a training day's page (here) and
    asked in the room (programmes.live, whose LiveQuestion.Kind this is)."""

    SCALE = "scale", _("Scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    WORDS = "words", _("Word cloud")
    OPEN = "open", _("Open answer")
    COMMITMENT = "commitment", _("Commitment")


class LiveQuestionBlock(blocks.StructBlock):
    """A question prepared for the day; the trainer opens it from the facilitator view."""

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=LiveQuestionKind.choices)
    prompt = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=100), label=_("Choices"), required=False, default=[]
    )
    scale_max = blocks.ChoiceBlock(
        label=_("Scale"), choices=[("5", "1–5"), ("10", "0–10")], default="5", required=False
    )
    min_label = blocks.CharBlock(label=_("Label of the lowest"), required=False, max_length=50)
    max_label = blocks.CharBlock(label=_("Label of the highest"), required=False, max_length=50)
    anonymous = blocks.BooleanBlock(label=_("Anonymous"), default=True, required=False)

    class Meta:
        icon = "help"
        label = _("Live question")
