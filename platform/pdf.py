"""One-page PDF documents (fpdf2): the mentoring certificate, the day's summary.

PDF's built-in Helvetica covers Latin-1 only, and Polku ships no font file: characters
outside it are written as their base letter (Ł as L, – as -) rather than failing."""

import unicodedata

from fpdf import FPDF

FOLDS = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "Ł": "L", "ł": "l"}


def latin1(text: str) -> str:
    out = []
    for char in text:
        char = FOLDS.get(char, char)
        if all(ord(c) < 256 for c in char):
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
        out.append(base or "?")
    return "".join(out)


class Document(FPDF):
    """A plain A4 document written line by line: `line(text, style, size)`."""

    def __init__(self, title: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, format="A4")
        self.set_title(latin1(title))
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def line(self, text: str, style: str = "", size: int = 11, align: str = "L") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.5, latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(size * 0.25)

    def bytes(self) -> bytes:
        return bytes(self.output())
