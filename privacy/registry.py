"""Every model that holds personal data: what it holds, why, how long, and what exporting,
erasing a person and retention do with it (as Moodle's privacy API asks of each component).
tests/privacy/test_registry.py fails when a model that points at a person or holds their text
is missing here. The code that acts on it is in services.py, one function per action."""

from dataclasses import dataclass

DELETE = "deleted"
ANONYMISE = "kept without the person"
KEEP = "kept (no personal data once the account is anonymised)"


@dataclass(frozen=True)
class PersonalData:
    what: str
    why: str
    kept: str  # how long
    erasure: str  # DELETE, ANONYMISE or KEEP, with the reason in `what`/`why` where not obvious
    exported: bool = True


WHILE_IN_A_COHORT = "while the person is in a cohort, then the organisation's retention period"

REGISTRY: dict[str, PersonalData] = {
    "people.User": PersonalData(
        "name, email address, language, password hash, last login",
        "logging in; telling people who wrote what",
        "while the account is used; anonymised on erasure or when all its cohorts are",
        ANONYMISE,
    ),
    "people.Membership": PersonalData(
        "the person's role and small group in a cohort",
        "access; figures",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "people.Invitation": PersonalData(
        "when an invitation was sent and used", "joining", WHILE_IN_A_COHORT, DELETE
    ),
    "account.EmailAddress": PersonalData(
        "the login email address (django-allauth)",
        "logging in",
        "as the account",
        DELETE,
        exported=False,  # the same address as the account's, exported there
    ),
    "socialaccount.SocialAccount": PersonalData(
        "the person's identifier at their organisation's sign-in service, with the email and "
        "name it gave at the last sign-in (django-allauth)",
        "single sign-on",
        "as the account",
        DELETE,
        exported=False,  # the organisation's identifier; the email and name are the account's
    ),
    "api.ApiToken": PersonalData(
        "which superuser made an organisation's API token",
        "knowing who gave a system access",
        "as long as the token",
        KEEP,  # the organisation's token; the maker's account is anonymised on erasure
        exported=False,
    ),
    "api.ProvisionedPerson": PersonalData(
        "what the organisation's identity system calls the person (userName, external id, "
        "email addresses), for SCIM provisioning",
        "keeping accounts in step with the organisation's own records",
        "as the account, or until the organisation's system removes the person",
        DELETE,
        exported=False,  # the organisation's identifiers; the email and name are the account's
    ),
    "wagtailusers.UserProfile": PersonalData(
        "Wagtail admin preferences and avatar",
        "the admin",
        "as the account",
        DELETE,
        exported=False,
    ),
    "sessions.Session": PersonalData(
        "login sessions", "staying logged in", "two weeks", DELETE, exported=False
    ),
    "uploads.StoredFile": PersonalData(
        "photos and files the person uploaded",
        "answers and workspace posts",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "uploads.ResumableUpload": PersonalData(
        "a file on its way from the person's phone, not yet finished",
        "uploads that go on after a dropped connection",
        "a day, unless finished sooner",
        DELETE,
        exported=False,  # not yet anything; once handed over it is exported as a file
    ),
    "programmes.MaterialMedia": PersonalData(
        "who uploaded a video or sound to an organisation's materials",
        "the Wagtail admin (the uploader may edit their own)",
        "as the materials",
        KEEP,  # the organisation's material, not the person's
        exported=False,
    ),
    "notifications.NotificationPreference": PersonalData(
        "email choices", "sending only what the person wants", "as the account", DELETE
    ),
    "notifications.Notice": PersonalData(
        "which emails were sent",
        "sending each email once",
        "as the account",
        DELETE,
        exported=False,
    ),
    "programmes.PageVisit": PersonalData(
        "when the person last opened a page", "showing what is new", "as the account", DELETE
    ),
    "assignments.FeedbackSeen": PersonalData(
        "when the person last saw the coaching thread of an answer",
        "marking new feedback",
        "as the account",
        DELETE,
    ),
    "workspaces.WorkspaceVisit": PersonalData(
        "when the person last opened their group's feed",
        "marking new posts and comments",
        "as the account",
        DELETE,
    ),
    "assignments.Answer": PersonalData(
        "answers to assignments (a small group's shared answer is the group's)",
        "the development path; the trainer's coaching",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "assignments.AnswerRevision": PersonalData(
        "earlier versions of answers",
        "no typing is lost; who changed what",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "assignments.AnswerFile": PersonalData(
        "photos and files of answers", "answers", WHILE_IN_A_COHORT, DELETE
    ),
    "assignments.ReviewComment": PersonalData(
        "coaching messages on answers", "coaching", WHILE_IN_A_COHORT, ANONYMISE
    ),
    "live.LiveAnswer": PersonalData(
        "answers to live questions",
        "the live summary of a training day",
        WHILE_IN_A_COHORT,
        KEEP,  # they count in the day's summaries; the account behind them is anonymised
    ),
    "live.LiveQuestion": PersonalData(
        "who asked a live question",
        "the facilitator view",
        WHILE_IN_A_COHORT,
        KEEP,
        exported=False,
    ),
    "progress.Attendance": PersonalData(
        "presence at training days, reasons for absence",
        "attendance and follow-up",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "progress.ParticipantProgress": PersonalData(
        "the person's figures",
        "the progress dashboard",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "workspaces.Post": PersonalData(
        "posts in the small group's workspace",
        "the group's conversation: kept for the group, its author shown as a former participant",
        WHILE_IN_A_COHORT,
        ANONYMISE,
    ),
    "workspaces.Comment": PersonalData(
        "comments in the workspace", "the group's conversation", WHILE_IN_A_COHORT, ANONYMISE
    ),
    "workspaces.HelpedMark": PersonalData(
        "'this helped me' marks", "the workspace", WHILE_IN_A_COHORT, DELETE
    ),
    "workspaces.SharedOutput": PersonalData(
        "who shared a small group's notes or task result with the cohort's library",
        "the library's entries",
        WHILE_IN_A_COHORT,
        ANONYMISE,
        exported=False,
    ),
    "live.PublishedDay": PersonalData(
        "which trainer published a day's summary",
        "the published summary",
        WHILE_IN_A_COHORT,
        ANONYMISE,
        exported=False,
    ),
    "workspaces.GroupNote": PersonalData(
        "who last edited the group's notes",
        "the notes' history",
        WHILE_IN_A_COHORT,
        ANONYMISE,
        exported=False,
    ),
    "workspaces.GroupNoteRevision": PersonalData(
        "versions of the group's notes",
        "the notes' history",
        WHILE_IN_A_COHORT,
        ANONYMISE,
    ),
    "impact.TeamMember": PersonalData(
        "the email addresses of a supervisor's team members (people without an account)",
        "sending each their personal survey link",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "impact.TeamInvitation": PersonalData(
        "that a team member's link was sent, reminded and used (never when it was used)",
        "one answer per link; reminding only who has not answered",
        WHILE_IN_A_COHORT,
        DELETE,
        exported=False,  # about team members, not the supervisor
    ),
    "impact.TeamResponse": PersonalData(
        "the supervisor's own survey answers; their team's answers, which hold nothing that "
        "leads to who gave them",
        "the supervisor's view beside their team's; the change the path made",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "impact.TeamFigures": PersonalData(
        "the sums of a supervisor's team's answers per wave",
        "results shown only above the anonymity threshold",
        WHILE_IN_A_COHORT,
        DELETE,
        exported=False,  # derived from the answers, exported there
    ),
    "impact.WeeklyReflection": PersonalData(
        "weekly self-evaluations, and whether each is shared with the trainer",
        "the supervisor's own reflection; coaching when they share it",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "impact.ReflectionHabit": PersonalData(
        "whether the weekly self-evaluation reminder is on",
        "sending it only to who wants it",
        WHILE_IN_A_COHORT,
        DELETE,
    ),
    "mentoring.MentoringProgramme": PersonalData(
        "who owns a mentoring programme",
        "following its pairs",
        "while the programme is kept",
        ANONYMISE,
        exported=False,
    ),
    "mentoring.MentorProfile": PersonalData(
        "what a mentor can help with, and how many pairs they take",
        "making pairs",
        "as the account",
        DELETE,
    ),
    "mentoring.Pair": PersonalData(
        "who mentors or coaches whom, in which programme",
        "the pair's space, check-ins and hours",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.MentoringSession": PersonalData(
        "the pair's sessions: date, length, planned or casual, who logged it",
        "hours against the programme's minimum",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.Goal": PersonalData(
        "the goals the person mentored or coached wrote",
        "the pair's own work",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.Note": PersonalData(
        "the notes a pair shares", "the pair's own work", "while the programme is kept", DELETE
    ),
    "mentoring.CheckIn": PersonalData(
        "each side's check-ins: how it goes, whether they met, what is in the way",
        "the programme's owner catching pairs that need help",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.Milestone": PersonalData(
        "the milestones a pair reached (first session, hours, period completed)",
        "recognition and the certificate",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.Recognition": PersonalData(
        "what the person was given in recognition, and when",
        "recognition and the certificate",
        "while the programme is kept",
        DELETE,
    ),
    "mentoring.CoachInvitation": PersonalData(
        "the name and email of a team member a supervisor asked to coach them",
        "inviting them, in turn",
        "while the programme is kept",
        DELETE,
    ),
    "privacy.DataExport": PersonalData(
        "the person's own exports", "downloading them", "seven days", DELETE, exported=False
    ),
    "audit.AuditEntry": PersonalData(
        "who exported, erased, changed roles or read answers",
        "accountability (GDPR art. 5)",
        "as long as the organisation's contract",
        KEEP,
        exported=False,
    ),
}
