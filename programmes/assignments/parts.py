"""The answer form an assignment asks for, read from its `answer_parts` StreamField."""

from dataclasses import dataclass, field

from polku.uploads.validation import ACCEPT_FILES, ACCEPT_PHOTOS

TEXT_MAX = 20_000


@dataclass
class AnswerPart:
    id: str  # the StreamField block id: stable while the trainer edits the page
    kind: str  # text, scale, choice, photos, files
    label: str
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    max_photos: int = 0
    required: bool = False  # submitting asks for it; a draft saves without it

    @property
    def takes_files(self) -> bool:
        return self.kind in ("photos", "files")

    @property
    def accept(self) -> str:
        """What its file picker offers."""
        return ACCEPT_PHOTOS if self.kind == "photos" else ACCEPT_FILES


def answer_parts(assignment) -> list[AnswerPart]:
    parts = []
    for block in assignment.answer_parts:
        value = block.value
        required = bool(value.get("required"))
        if block.block_type == "reflection":
            kind = {"scale": "scale", "choice": "choice"}.get(value["kind"], "text")
            choices = list(value["choices"] or [])
            parts.append(
                AnswerPart(block.id, kind, value["question"], choices=choices, required=required)
            )
        elif block.block_type == "photos":
            max_photos = value["max_photos"]
            parts.append(
                AnswerPart(
                    block.id, "photos", value["label"], max_photos=max_photos, required=required
                )
            )
        else:
            help_text = value.get("help_text", "")
            parts.append(
                AnswerPart(block.id, block.block_type, value["label"], help_text, required=required)
            )
    return parts


def required_missing(parts: list[AnswerPart], content: dict, files) -> list[str]:
    """The labels of required parts left empty: no text, or no file."""
    with_files = {f.part_id for f in files}
    return [
        part.label
        for part in parts
        if part.required
        and (part.id not in with_files if part.takes_files else not content.get(part.id))
    ]


def answer_parts_filled(assignment, content: dict, files) -> list[AnswerPart]:
    """The parts with what an answer holds in each: its text, or its files."""
    parts = answer_parts(assignment)
    for part in parts:
        part.value = content.get(part.id, "")
        part.files = [f for f in files if f.part_id == part.id]
    return parts
