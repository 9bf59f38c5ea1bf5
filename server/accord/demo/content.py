"""The demo study's content: fictional interviews, a codebook and two coders' readings.

Everything here is made up for the demo. The transcripts imitate a qualitative study of
a peer-support service for doctors; no person, place or conversation is real.
"""

from __future__ import annotations

PROJECT_NAME = "Demo: peer support for doctors"
PROJECT_DESCRIPTION = (
    "A fictional study that shows Accord's whole workflow: six short interviews coded "
    "by two coders, one of them carried through consensus, a codebook of three "
    "categories, and two more interviews waiting for each coder to code. Everything in "
    "it is invented."
)
MARKER = "peer-support-demo-v1"

# (key, email, display name, password, role)
ACCOUNTS = (
    ("lead", "kari.lead@demo.accord", "Kari Nordby", "demo-lead-kari", "LEAD"),
    ("ingrid", "ingrid.coder@demo.accord", "Ingrid Solberg", "demo-coder-ingrid", "CODER"),
    ("lars", "lars.coder@demo.accord", "Lars Haugen", "demo-coder-lars", "CODER"),
)

# category > group > codes
CODEBOOK: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "Seeking help",
        (
            ("Barriers", ("Fear of stigma", "Lack of time")),
            ("Ways in", ("Colleague contact", "Peer-support service")),
        ),
    ),
    (
        "The peer conversation",
        (
            ("What helped", ("Being listened to", "Practical advice")),
            ("Setting", ("Confidentiality",)),
        ),
    ),
    (
        "Afterwards",
        (("Change", ("Relief", "Changed practice")),),
    ),
)

INTERVIEWS: tuple[tuple[str, dict[str, str], str], ...] = (
    (
        "Interview 1 – GP, rural practice",
        {"participant": "P01", "specialty": "general practice", "gender": "F"},
        "Interviewer: Kan du fortelle hvordan det startet?\n"
        "P01: I had been on call alone for weeks, and I was afraid the others would "
        "think I could not cope. A colleague from medical school told me about the "
        "peer-support service, so I phoned them one evening.\n"
        "Interviewer: Hva skjedde i samtalen?\n"
        "P01: The peer doctor mostly listened. Nobody had asked me how I was in months. "
        "She also suggested I talk to the municipality about the on-call rota.\n"
        "Interviewer: Og etterpå?\n"
        "P01: I slept properly for the first time in a long while. I now say no to "
        "extra shifts.\n",
    ),
    (
        "Interview 2 – resident, surgery",
        {"participant": "P02", "specialty": "surgery", "gender": "M"},
        "Interviewer: Hvorfor tok du kontakt?\n"
        "P02: There is never time. Between the theatre lists and the paperwork I did not "
        "see when I could even make a call.\n"
        "Interviewer: Hvordan fant du fram?\n"
        "P02: I found the peer-support service on the medical association's pages.\n"
        "P02: What mattered was that it stays between us. Nothing goes to my employer.\n"
        "Interviewer: Hva tok du med deg?\n"
        "P02: Concrete advice on how to raise the workload with my head of department.\n",
    ),
    (
        "Interview 3 – psychiatrist",
        {"participant": "P03", "specialty": "psychiatry", "gender": "F"},
        "Interviewer: Var det vanskelig å be om hjelp?\n"
        "P03: Very. In psychiatry you are supposed to be the one who copes. I feared it "
        "would end up in my record.\n"
        "Interviewer: Og samtalen?\n"
        "P03: He let me talk without interrupting, and I felt heard. The conversation "
        "was confidential, which made it possible to be honest.\n"
        "Interviewer: Hva endret seg?\n"
        "P03: It was a relief to say it aloud. I started taking my lunch break again.\n",
    ),
    (
        "Interview 4 – hospital physician",
        {"participant": "P04", "specialty": "internal medicine", "gender": "M"},
        "Interviewer: Hvordan kom du i kontakt?\n"
        "P04: My head nurse noticed something was wrong and said I should talk to "
        "someone. Then a colleague gave me the number.\n"
        "Interviewer: Hva hjalp?\n"
        "P04: Practical things: how to apply for leave, what to tell the department.\n"
        "P04: And just being listened to by someone who knows the job.\n"
        "Interviewer: Etterpå?\n"
        "P04: I felt lighter. I have since changed how I hand over patients at night.\n",
    ),
    (
        "Interview 5 – GP, city practice",
        {"participant": "P05", "specialty": "general practice", "gender": "F"},
        "Interviewer: Hva holdt deg tilbake?\n"
        "P05: The list never ends. I had no time, and honestly I was ashamed.\n"
        "Interviewer: Hvordan var samtalen?\n"
        "P05: Anonymous, which mattered. The peer listened and then asked good "
        "questions.\n"
        "Interviewer: Og nå?\n"
        "P05: Less guilt. I book fewer patients on Fridays now.\n",
    ),
    (
        "Interview 6 – anaesthetist",
        {"participant": "P06", "specialty": "anaesthesiology", "gender": "M"},
        "Interviewer: Hvordan fant du tjenesten?\n"
        "P06: Through the peer-support service's poster in the break room.\n"
        "P06: I was worried a colleague would find out.\n"
        "Interviewer: Hva var viktig?\n"
        "P06: Advice on sleep after night shifts, and someone who listened.\n"
        "Interviewer: Etterpå?\n"
        "P06: A relief. I have asked for a different night rota.\n",
    ),
)

# Interviews assigned to both coders and not coded yet, so a coder who logs in to the
# demo has work waiting in the coding workspace.
TO_CODE: tuple[tuple[str, dict[str, str], str], ...] = (
    (
        "Interview 7 – GP trainee",
        {"participant": "P07", "specialty": "general practice", "gender": "F"},
        "Interviewer: Hvordan var det å ta kontakt?\n"
        "P07: I put it off for months. My supervisor would have seen it as weakness, "
        "I thought. In the end a friend from my year sent me the number 📞 and I called "
        "from the car park.\n"
        "Interviewer: Hva husker du fra samtalen?\n"
        "P07: That she did not hurry me. She asked what a normal week looks like and "
        "then just listened. Afterwards she sent me the link to a course on "
        "boundaries.\n"
        "Interviewer: Og nå, et halvt år senere?\n"
        "P07: I leave the surgery at five twice a week. It is a small thing, but it "
        "helped more than I expected 🙂.\n",
    ),
    (
        "Interview 8 – senior consultant",
        {"participant": "P08", "specialty": "cardiology", "gender": "M"},
        "Interviewer: Hva fikk deg til å ringe?\n"
        "P08: A complication on my list, and a complaint afterwards. I could not stop "
        "going over it at night.\n"
        "Interviewer: Var du bekymret for noe?\n"
        "P08: That it would be talked about in the department. Senior people are not "
        "supposed to need this.\n"
        "Interviewer: Hva hjalp?\n"
        "P08: Hearing that others my age had called too. And a plain plan for the "
        "meeting with the patient's family.\n"
        "Interviewer: Etterpå?\n"
        "P08: Relief, mostly. I now talk to a colleague after every difficult case.\n",
    ),
)

# Per interview: (Ingrid's code, her phrase, Lars's code, his phrase). The same code and
# phrase agree; a different phrase of the same code is a boundary difference; another
# code on the same phrase is a code difference; None leaves a coder out (omission).
Reading = tuple[str | None, str | None, str | None, str | None]
CODINGS: tuple[tuple[Reading, ...], ...] = (
    (
        (
            "Fear of stigma",
            "afraid the others would think I could not cope",
            "Fear of stigma",
            "afraid the others would think I could not cope",
        ),
        (
            "Colleague contact",
            "A colleague from medical school told me about the peer-support service",
            "Peer-support service",
            "A colleague from medical school told me about the peer-support service",
        ),
        (
            "Being listened to",
            "The peer doctor mostly listened",
            "Being listened to",
            "The peer doctor mostly listened. Nobody had asked me how I was in months",
        ),
        (
            "Practical advice",
            "suggested I talk to the municipality about the on-call rota",
            None,
            None,
        ),
        (
            "Relief",
            "I slept properly for the first time in a long while",
            "Relief",
            "I slept properly for the first time in a long while",
        ),
        (
            "Changed practice",
            "I now say no to extra shifts",
            "Changed practice",
            "I now say no to extra shifts",
        ),
    ),
    (
        (
            "Lack of time",
            "There is never time",
            "Lack of time",
            "There is never time. Between the theatre lists and the paperwork I did not see "
            "when I could even make a call",
        ),
        (
            "Peer-support service",
            "I found the peer-support service",
            "Peer-support service",
            "I found the peer-support service",
        ),
        (
            "Confidentiality",
            "it stays between us. Nothing goes to my employer",
            "Confidentiality",
            "it stays between us. Nothing goes to my employer",
        ),
        (
            "Practical advice",
            "Concrete advice on how to raise the workload",
            "Practical advice",
            "Concrete advice on how to raise the workload with my head of department",
        ),
    ),
    (
        (
            "Fear of stigma",
            "I feared it would end up in my record",
            "Fear of stigma",
            "I feared it would end up in my record",
        ),
        (
            "Being listened to",
            "He let me talk without interrupting, and I felt heard",
            "Being listened to",
            "He let me talk without interrupting, and I felt heard",
        ),
        (
            "Confidentiality",
            "The conversation was confidential",
            "Confidentiality",
            "The conversation was confidential",
        ),
        ("Relief", "It was a relief to say it aloud", "Relief", "It was a relief to say it aloud"),
        (
            "Changed practice",
            "I started taking my lunch break again",
            "Relief",
            "I started taking my lunch break again",
        ),
    ),
    (
        (
            "Colleague contact",
            "a colleague gave me the number",
            "Colleague contact",
            "a colleague gave me the number",
        ),
        (
            "Practical advice",
            "how to apply for leave",
            "Practical advice",
            "how to apply for leave, what to tell the department",
        ),
        (
            "Being listened to",
            "being listened to by someone who knows the job",
            "Being listened to",
            "being listened to by someone who knows the job",
        ),
        ("Relief", "I felt lighter", "Relief", "I felt lighter"),
        (None, None, "Changed practice", "changed how I hand over patients at night"),
    ),
    (
        ("Lack of time", "I had no time", "Lack of time", "I had no time"),
        ("Fear of stigma", "I was ashamed", None, None),
        (
            "Confidentiality",
            "Anonymous, which mattered",
            "Confidentiality",
            "Anonymous, which mattered",
        ),
        ("Being listened to", "The peer listened", "Being listened to", "The peer listened"),
        (
            "Changed practice",
            "I book fewer patients on Fridays now",
            "Changed practice",
            "I book fewer patients on Fridays now",
        ),
    ),
    (
        (
            "Peer-support service",
            "the peer-support service's poster in the break room",
            "Peer-support service",
            "the peer-support service's poster in the break room",
        ),
        (
            "Fear of stigma",
            "I was worried a colleague would find out",
            "Fear of stigma",
            "I was worried a colleague would find out",
        ),
        (
            "Practical advice",
            "Advice on sleep after night shifts",
            "Practical advice",
            "Advice on sleep after night shifts",
        ),
        ("Being listened to", "someone who listened", "Being listened to", "someone who listened"),
        (
            "Changed practice",
            "I have asked for a different night rota",
            "Changed practice",
            "I have asked for a different night rota",
        ),
    ),
)

# The interview carried through consensus, and the synthesis written for one group.
CONSENSUS_INTERVIEW = 0
CONSENSUS_RATIONALE = "Ingrid's reading follows the codebook's definitions most closely."
SYNTHESIS_GROUP = ("Seeking help", "Ways in")
SYNTHESIS_CONDENSATE = (
    "We rarely find the service ourselves: a colleague tells us about it, and then one "
    "evening we call."
)
