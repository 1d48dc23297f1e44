"""Upward coaching's ready words: a question bank for the supervisor and their coach to start
from, and short guidance for a team member who coaches (questions rather than answers).
Translated like the rest of the interface; trainers add their own material as mentoring
guide pages."""

from django.utils.translation import gettext_lazy as _

QUESTION_BANK = [
    (
        _("In which situations"),
        [
            _("In which situations of my work would I most like to be coached?"),
            _("When did I last lead in a way I am not happy with? What happened?"),
            _(
                "Which of our team's everyday moments (meetings, one-to-ones, hard news) should "
                "we look at together?"
            ),
        ],
    ),
    (
        _("What goals"),
        [
            _("What do I want to do differently as a supervisor in six months' time?"),
            _("How would the team notice that I have changed?"),
            _("What is one small step I could try before we meet next?"),
        ],
    ),
    (
        _("What risks"),
        [
            _("What could make this coaching awkward for either of us, and how do we say so?"),
            _("What stays between us, and what may we tell others?"),
            _("How do we keep the coaching apart from work appraisals and pay?"),
        ],
    ),
    (
        _("What each side gains"),
        [
            _("What do I hope to learn about myself?"),
            _("What does the coach hope to learn about coaching and about leading?"),
            _("How will we know the time was worth it for both of us?"),
        ],
    ),
    (
        _("What being coached asks of the supervisor"),
        [
            _("Am I ready to hear things about my leadership that surprise me?"),
            _("How will I show that honest words are welcome, also afterwards?"),
            _("Do I set the agenda and come prepared to each session?"),
        ],
    ),
]

COACHING_GUIDANCE = [
    _("Your supervisor sets the agenda: ask what they want from this session."),
    _("Ask rather than advise: “What would you try?”, “What else?”, “What stops you?”"),
    _("Listen to the end before you ask the next question. Silence is fine."),
    _("Say what you have seen, not what you think of the person: “In Monday's meeting…”"),
    _("End with a next step that your supervisor chooses, and ask how it went next time."),
    _("What is said in a session stays between the two of you unless you both agree otherwise."),
]
