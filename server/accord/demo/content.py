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

# A code's guidance, as a codebook gives it: what the code means, what belongs under it,
# what does not (and where it goes instead), and an example from the interviews.
Guidance = tuple[str, str, str, str]
"""(definition, inclusion, exclusion, example)"""

# category > group > codes, each with its guidance. Categories and groups are not codable;
# they carry a definition only.
CodeEntry = tuple[str, Guidance]
GroupEntry = tuple[str, str, tuple[CodeEntry, ...]]
CODEBOOK: tuple[tuple[str, str, tuple[GroupEntry, ...]], ...] = (
    (
        "Seeking help",
        "How doctors come to contact the peer-support service, and what stands in the way.",
        (
            (
                "Barriers",
                "What delays or prevents a doctor from asking for help.",
                (
                    (
                        "Fear of stigma",
                        (
                            "Worry that asking for help will be seen as weakness, talked about, "
                            "or recorded against the doctor.",
                            "Fear of colleagues' or superiors' judgement; shame; worry that it "
                            "reaches a record or the employer.",
                            "Worry about confidentiality of the conversation itself once in "
                            "contact (code Confidentiality).",
                            "I was afraid the others would think I could not cope.",
                        ),
                    ),
                    (
                        "Lack of time",
                        (
                            "Workload or schedules leave no room to make contact.",
                            "Full lists, shifts, paperwork named as the reason for not calling.",
                            "Workload as a topic discussed in the conversation (code Practical "
                            "advice).",
                            "There is never time.",
                        ),
                    ),
                ),
            ),
            (
                "Ways in",
                "How the doctor learnt of the service and reached it.",
                (
                    (
                        "Colleague contact",
                        (
                            "A colleague, friend or superior points the doctor to help.",
                            "Someone tells, urges or gives the number to the doctor.",
                            "Finding the service on one's own (code Peer-support service).",
                            "Then a colleague gave me the number.",
                        ),
                    ),
                    (
                        "Peer-support service",
                        (
                            "The doctor finds or contacts the service by their own search.",
                            "Web pages, posters, the association's information; calling on "
                            "one's own initiative.",
                            "Being referred by a person (code Colleague contact).",
                            "I found the peer-support service on the medical association's pages.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "The peer conversation",
        "What happens in the conversation with the peer doctor, as the participant tells it.",
        (
            (
                "What helped",
                "What the participant names as helpful in the conversation.",
                (
                    (
                        "Being listened to",
                        (
                            "The peer listens without hurrying or interrupting; the "
                            "participant feels heard.",
                            "Listening, being asked how one is, time to talk.",
                            "Concrete suggestions or plans (code Practical advice).",
                            "The peer doctor mostly listened.",
                        ),
                    ),
                    (
                        "Practical advice",
                        (
                            "Concrete suggestions or plans the peer offers.",
                            "Advice on leave, rotas, sleep, talking to a superior; a course "
                            "or link sent afterwards.",
                            "Support without concrete content (code Being listened to).",
                            "Concrete advice on how to raise the workload with my head of "
                            "department.",
                        ),
                    ),
                ),
            ),
            (
                "Setting",
                "The conditions under which the conversation takes place.",
                (
                    (
                        "Confidentiality",
                        (
                            "The conversation stays between the doctor and the peer.",
                            "Anonymity, nothing passed to the employer, secrecy as a reason "
                            "to be honest.",
                            "Fear before contact that others will find out (code Fear of stigma).",
                            "Nothing goes to my employer.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "Afterwards",
        "What the participant says changed after the conversation.",
        (
            (
                "Change",
                "Changes in how the participant feels or works.",
                (
                    (
                        "Relief",
                        (
                            "A felt easing after the conversation.",
                            "Relief, feeling lighter, sleeping better, less guilt.",
                            "A change in what the doctor does (code Changed practice).",
                            "It was a relief to say it aloud.",
                        ),
                    ),
                    (
                        "Changed practice",
                        (
                            "A concrete change in how the doctor works or plans work.",
                            "Saying no to shifts, breaks, new routines, a different rota.",
                            "A feeling without a change in work (code Relief).",
                            "I now say no to extra shifts.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

INTERVIEWS: tuple[tuple[str, dict[str, str], str], ...] = (
    (
        "Interview 1 – GP, rural practice",
        {"participant": "P01", "specialty": "general practice", "gender": "F"},
        "Interviewer: Can you tell me how it started?\n\n"
        "P01: I had been on call alone for weeks, and I was afraid the others would "
        "think I could not cope. A colleague from medical school told me about the "
        "peer-support service, so I phoned them one evening.\n\n"
        "Interviewer: What happened in the conversation?\n\n"
        "P01: The peer doctor mostly listened. Nobody had asked me how I was in months. "
        "She also suggested I talk to the municipality about the on-call rota.\n\n"
        "Interviewer: And afterwards?\n\n"
        "P01: I slept properly for the first time in a long while. I now say no to "
        "extra shifts.\n\n",
    ),
    (
        "Interview 2 – resident, surgery",
        {"participant": "P02", "specialty": "surgery", "gender": "M"},
        "Interviewer: Why did you get in touch?\n\n"
        "P02: There is never time. Between the theatre lists and the paperwork I did not "
        "see when I could even make a call.\n\n"
        "Interviewer: How did you find your way to them?\n\n"
        "P02: I found the peer-support service on the medical association's pages.\n\n"
        "P02: What mattered was that it stays between us. Nothing goes to my employer.\n\n"
        "Interviewer: What did you take away from it?\n\n"
        "P02: Concrete advice on how to raise the workload with my head of department.\n\n",
    ),
    (
        "Interview 3 – psychiatrist",
        {"participant": "P03", "specialty": "psychiatry", "gender": "F"},
        "Interviewer: Was it hard to ask for help?\n\n"
        "P03: Very. In psychiatry you are supposed to be the one who copes. I feared it "
        "would end up in my record.\n\n"
        "Interviewer: And the conversation itself?\n\n"
        "P03: He let me talk without interrupting, and I felt heard. The conversation "
        "was confidential, which made it possible to be honest.\n\n"
        "Interviewer: What changed?\n\n"
        "P03: It was a relief to say it aloud. I started taking my lunch break again.\n\n",
    ),
    (
        "Interview 4 – hospital physician",
        {"participant": "P04", "specialty": "internal medicine", "gender": "M"},
        "Interviewer: How did you get in touch?\n\n"
        "P04: My head nurse noticed something was wrong and said I should talk to "
        "someone. Then a colleague gave me the number.\n\n"
        "Interviewer: What helped?\n\n"
        "P04: Practical things: how to apply for leave, what to tell the department.\n\n"
        "P04: And just being listened to by someone who knows the job.\n\n"
        "Interviewer: And afterwards?\n\n"
        "P04: I felt lighter. I have since changed how I hand over patients at night.\n\n",
    ),
    (
        "Interview 5 – GP, city practice",
        {"participant": "P05", "specialty": "general practice", "gender": "F"},
        "Interviewer: What held you back?\n\n"
        "P05: The list never ends. I had no time, and honestly I was ashamed.\n\n"
        "Interviewer: What was the conversation like?\n\n"
        "P05: Anonymous, which mattered. The peer listened and then asked good "
        "questions.\n\n"
        "Interviewer: And now?\n\n"
        "P05: Less guilt. I book fewer patients on Fridays now.\n\n",
    ),
    (
        "Interview 6 – anaesthetist",
        {"participant": "P06", "specialty": "anaesthesiology", "gender": "M"},
        "Interviewer: How did you find the service?\n\n"
        "P06: Through the peer-support service's poster in the break room.\n\n"
        "P06: I was worried a colleague would find out.\n\n"
        "Interviewer: What mattered?\n\n"
        "P06: Advice on sleep after night shifts, and someone who listened.\n\n"
        "Interviewer: And afterwards?\n\n"
        "P06: A relief. I have asked for a different night rota.\n\n",
    ),
)

# Interviews assigned to both coders and not coded yet, so a coder who logs in to the
# demo has work waiting in the coding workspace.
TO_CODE: tuple[tuple[str, dict[str, str], str], ...] = (
    (
        "Interview 7 – GP trainee",
        {"participant": "P07", "specialty": "general practice", "gender": "F"},
        "Interviewer: What was it like to get in touch?\n\n"
        "P07: I put it off for months. My supervisor would have seen it as weakness, "
        "I thought. In the end a friend from my year sent me the number 📞 and I called "
        "from the car park.\n\n"
        "Interviewer: What do you remember from the conversation?\n\n"
        "P07: That she did not hurry me. She asked what a normal week looks like and "
        "then just listened. Afterwards she sent me the link to a course on "
        "boundaries.\n\n"
        "Interviewer: And now, half a year later?\n\n"
        "P07: I leave the surgery at five twice a week. It is a small thing, but it "
        "helped more than I expected 🙂.\n\n",
    ),
    (
        "Interview 8 – senior consultant",
        {"participant": "P08", "specialty": "cardiology", "gender": "M"},
        "Interviewer: What made you call?\n\n"
        "P08: A complication on my list, and a complaint afterwards. I could not stop "
        "going over it at night.\n\n"
        "Interviewer: Were you worried about anything?\n\n"
        "P08: That it would be talked about in the department. Senior people are not "
        "supposed to need this.\n\n"
        "Interviewer: What helped?\n\n"
        "P08: Hearing that others my age had called too. And a plain plan for the "
        "meeting with the patient's family.\n\n"
        "Interviewer: And afterwards?\n\n"
        "P08: Relief, mostly. I now talk to a colleague after every difficult case.\n\n",
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
