"""`ethicsdesk samples new`: a commented dilemma file for a trainer to fill in.

As written, the template does NOT validate, and only because of its placeholders: the empty ""
of the required fields (id, title, summary, facts, each option's label, the reference's choice and
rationale) and the commented-out reference scores. Everything else already holds valid values, so
a file whose placeholders are all filled validates. That way `samples validate` catches a sample
that was saved half-written instead of shipping it to trainees.

The principle ids and the obligation catalogue come from the shipped knowledge, so the template
never lists an id that the validator would refuse.
"""

from __future__ import annotations

from ethicsdesk.domain.record import MAX_ITEMS

OPTION_KEYS = ("option-a", "option-b")

_HEAD = '''\
# A sample dilemma for ethicsdesk training (format ethicsdesk.dilemma/1).
#
# Fill in every place marked FILL IN, then check the file with
#     ethicsdesk samples validate THIS-FILE
# Until then it will not validate: the empty "" values and the commented-out scores are the
# placeholders. Optional fields may stay as they are. Write about a fictional client: samples are
# shared with every trainee, and a trainee sees everything above [reference].
# Lists stop at what a person can weigh: at most {options} options, {stakeholders} stakeholders,
# {identifiers} identifiers, {tags} tags, {obligations} obligations, {discussion} discussion questions
# and {sources} sources consulted.

format = "ethicsdesk.dilemma/1"

# FILL IN: lowercase letters, digits and dashes, for example "gift-from-family".
# Save the file as <id>.toml: the library finds a sample by its file name.
id = ""

# FILL IN: one line, without the client's name.
title = ""

# FILL IN: one paragraph: who the client is, what is at stake, what the case manager must decide.
summary = ""

# FILL IN: the facts, as a trainee would find them in the case file. Keep assumptions out.
facts = """
"""

# Optional: where this happens (agency, service, setting).
setting = ""
# Optional: words a trainer can search for, for example ["capacity", "older adult"].
tags = []
# Optional: the client's own wishes, in their words where possible.
client_wishes = ""
# Optional: decision-making capacity as the case file has it: assessed or not, by whom and for which
# decision, and who decides if the client cannot. Where the facts leave it open, say what is known.
capacity = ""
# Optional: how reports name the client.
case_code = ""
# Optional: names, numbers and dates in the text that reports mask.
identifiers = []
# Optional: the question for the trainee: "Given …, is it ethically justifiable to …?"
question = ""
# Optional: the medical or service facts (diagnosis, prognosis, the service and its limits), apart
# from quality of life and context.
medical_facts = ""
# Optional: the case manager's own values, bias and feelings about this case (NACM 12).
own_values = ""
# Optional, part of the answer (a trainee is not shown them): who decides (client, shared,
# surrogate, treating-physician, court-or-agency, case-manager, team, or duty: a step a legal or
# safety floor makes the professional's own), whether the client took part (yes, partly, no or
# unknown), and whether and how the client is told.
decision_maker = ""
client_involved = ""
client_informed = ""

# The duties the situation touches (ids from the obligation catalogue). A trainee is not shown this
# list; the debrief reports the ones they did not tick. Ids:
{obligations}
obligations = []

# Optional, repeated: who has a stake in the decision and what they want.
[[stakeholders]]
name = "The client"
interest = ""

# At least two options. A key is lowercase letters, digits and dashes, unique in the file; if you
# change one, change it in [reference.scores.<key>] and [reference.notes.<key>] below too.
# For a third option, copy an [[options]] block and add its scores table.
'''

_OPTION = """
[[options]]
key = "{key}"
# FILL IN: what the case manager would do, in a line.
label = ""
description = ""
"""

_REFERENCE = '''
# The reference: how an experienced practitioner weighs the dilemma. The debrief compares a
# trainee's obligations, weighing and decision with it; trainees never see it before their debrief.
[reference]
# FILL IN: the key of the option the practitioner chooses.
chosen = ""
# FILL IN: why, naming the chosen option, including what the choice compromises and why.
rationale = """
"""
# Optional: how the harm of the choice is softened. The follow-up is a date (2026-12-15) or a period
# counted from the day of import ("in 14 days", "within two weeks"); the import turns it into a date.
mitigation = ""
follow_up = ""
# Optional: questions for the debrief, one string each.
discussion = [
]

# Optional: the implementation plan; the follow-up date above is its last part.
# [reference.plan]
# actions = "Who does what, by when."
# communication = "How the decision is communicated, and to whom."
# revisit = "What would make the case manager look at the decision again."

# Optional, repeated: a source the practitioner consulted. kind is one of code, policy, law,
# literature, colleague, document (a paper of the case file: a proxy form, an OT report), other;
# detail says what or who (cite the codes by number, e.g. "NACM 18").
# [[reference.sources]]
# kind = "code"
# detail = ""

# How much each principle matters in this case: 0 (not at all) to 3 (most); 1 when left out.
[reference.weights]
{weights}

# Optional, and only for a principle the chosen option scores below zero (score what it costs: a
# choice that overrides a wish compromises autonomy). Then answer the justification conditions the
# decide step asks, one table per compromised principle, for example:
# [reference.justification.autonomy]
# good-reason = "Why the principle acted on outweighs this one here."
# prospect-of-success = "How likely the choice is to achieve its aim, and on what evidence."
# no-better-alternative = "Why no option with less compromise reaches the same aim."
# least-infringement = "How the compromise is kept as small as the aim allows."
# harm-minimised = "What softens its effects on the client and others."
'''

_SCORES = """
# FILL IN: remove the "# " and score every principle for this option from -2 (strongly
# compromises) to +2 (strongly upholds).
[reference.scores.{key}]
{scores}

# Optional: a short note per principle on why it scores as it does.
[reference.notes.{key}]

# For each floor or code rule ticked in obligations, whether this option "meets" or "fails" it; the
# import records these as the option's floor checks, and the chosen option must fail none. Floors are
# judged here, not scored again as a low justice (that would count them twice). For example:
# [reference.floors.{key}]
# duty-to-warn = "meets"
"""


def template_text() -> str:
    from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS
    from ethicsdesk.knowledge import load_catalogue

    catalogue = load_catalogue()
    width = max(len(o.id) for o in catalogue.obligations)
    obligations = "\n".join(
        f"#   {o.id:<{width}}  {o.name}{f'  ({o.floor_name})' if o.floor else ''}" for o in catalogue.obligations
    )
    text = _HEAD.replace("{obligations}\n", obligations + "\n")
    for what, cap in MAX_ITEMS.items():
        text = text.replace(f"{{{what}}}", str(cap))
    text += "".join(_OPTION.replace("{key}", key) for key in OPTION_KEYS)
    text += _REFERENCE.replace("{weights}", "\n".join(f"{p} = 1" for p in CCMC_PRINCIPLE_IDS))
    for key in OPTION_KEYS:
        scores = "\n".join(f"# {p} =" for p in CCMC_PRINCIPLE_IDS)
        text += _SCORES.replace("{key}", key).replace("{scores}", scores)
    return text
