"""Word lists the name and speaker rules share: stop words, titles, roles, places, nationality words.

Each is a frozenset looked up per token; which list a word is on decides
whether it can start, be part of, or be a name (`names`), or is refused as a
speaker (`refusals`), or marks an attribution's subject (`attribution`).
"""

from __future__ import annotations

from typing import Final

_STOP: Final = frozenset(
    "A An And As At After Although Because Before But By During Each Even For From "
    "He Her Here His How However I If In Instead It Its Last Later Meanwhile My Next "
    "No Not Now Of On Once One Or Our She So Some Since Still That The Their Then "
    "There These They This Those Though Thus To Today Tomorrow Under Until We What "
    "When Where While Who Why With Yesterday Yet You Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday".split()
)
_TITLES: Final = frozenset(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady President Vice Prime "
    "Minister Senator Sen Rep Gov Governor Gen General Col Colonel Capt Captain Lt "
    "Sgt Chancellor Secretary Judge Justice Rev Reverend Father King Queen Prince "
    "Princess Pope Mayor Detective Inspector Chief Ambassador Commissioner Deputy "
    "Foreign Home Defence Defense Health Chairman Chairwoman Director Sheikh".split()
)
# Peerage and knighthood: part of the name the article uses (Lord Falconer, Sir Alan Budd).
_PEERAGE: Final = frozenset("Sir Dame Lord Lady Baroness Baron Earl Viscount".split())
# Capitalised role and job words written in front of a name ("Treasurer Peter Costello",
# "Shadow Health Secretary Jane Hollis"): the name starts after the last of them.
_ROLES: Final = frozenset(
    "Acting Adviser Advisor Analyst Assistant Associate Attorney Author Boss Broadcaster Cardinal Captain "
    "Chair Chairperson Chief Coach Commander Commentator Composer Correspondent Critic Culture Dean Defender "
    "Designer Economist Editor Education Energy Envoy Executive Environment Finance Founder Former Forward "
    "Goalkeeper Head Industry Interior Journalist Justice Keeper Labour Lawyer Leader Manager Midfielder "
    "Novelist Officer Opposition Player Presenter Producer Rapper Referee Reporter Shadow Singer Skipper "
    "Solicitor Spokesman Spokeswoman Spokesperson Star Striker Superintendent Trade Transport Treasurer "
    "Treasury Veteran Winger Writer Constable Sergeant Economy Development Culture Sport Sports Work "
    "Pensions Environment Transport Communications Europe Councillor Alderman Bishop Archbishop Agent "
    "Doctor Nurse Sheriff Marshal Trainer Jockey Batsman Bowler Umpire Physio Scientist Researcher "
    "Professor Lecturer Teacher Headteacher Principal Curator Chef Designer Architect Engineer Teenager "
    "Youngster Rookie Campaigner Activist Candidate Entrepreneur Businessman Businesswoman Tycoon Comedian Actor "
    "Actress Wing Prop Flanker Hooker Lock Fullback Full-back Fly-half Scrum-half".split()
)
# Roles written after a name ("Rita Vale MP") or alone with a place ("the Salford MP"): not the name.
_ROLES_AFTER: Final = frozenset(
    "MP MEP MSP AM QC Minister Secretary Chairman Chairwoman Co-Chairman President Governor Mayor Senator "
    "Ambassador Commissioner Spokesman Spokeswoman".split()
)
# Places a lone word may name: never a speaker on their own ("said Britain").
_PLACES: Final = frozenset(
    "Britain England Scotland Wales Ireland Europe America Africa Asia Australia Canada France Germany Spain "
    "Italy Portugal Greece Turkey Russia China Japan India Pakistan Iran Iraq Israel Egypt Brazil Argentina "
    "Mexico Nigeria Kenya Korea Ukraine Poland Sweden Norway Denmark Finland Netherlands Belgium "
    "Austria Switzerland London Berlin Madrid Rome Moscow Beijing Tokyo Delhi Brussels "
    "Dublin Edinburgh Cardiff Belfast Glasgow Manchester Liverpool Birmingham Leeds Sydney Melbourne "
    "Westminster Whitehall Hollywood UK US USA EU UN".split()
)
# Nationality and party words: a descriptor before a name, never a name alone.
_DEMONYMS: Final = frozenset(
    "African American Arab Argentine Argentinian Asian Australian Austrian Belgian Brazilian British Briton "
    "Canadian Chinese Colombian Croatian Czech Danish Dutch Egyptian English European French German Greek "
    "Indian Iranian Iraqi Irish Israeli Italian Jamaican Japanese Kenyan Korean Mexican Nigerian Norwegian "
    "Pakistani Palestinian Polish Portuguese Russian Saudi Scottish Scots Serbian Spanish Swedish Swiss "
    "Turkish Ukrainian Welsh Western Eastern Northern Southern International National Olympic Conservative "
    "Tory Democrat Democratic Republican Liberal Lib Dem Socialist Communist Double Triple".split()
)
_ORG_WORDS: Final = frozenset(
    "Journal Times Post News Street State States University Company Inc Ltd Party "
    "Council Ministry Department Agency Group Bank Court Union Association "
    "Committee Police Office Institute Foundation Advisory Corp Reuters Press "
    "Alliance Federation Commission Chambers Commerce Industry Club United City Rovers Athletic "
    "League Cup Championship Championships Games Olympics Open Awards Award Festival Prix Trophy Tour "
    "Series Show Film Album Brothers Sisters Band Records Studios Channel Radio TV Television Network "
    "Magazine Newspaper Daily Herald Guardian Telegraph Mirror Mail Sun Observer Express Gazette Airways "
    "Airlines Motors Systems Software Technologies Networks Holdings Partners Capital Fund Trust Society "
    "Organisation Organization Authority Board Service Services Centre Center Hospital School College "
    "Academy Church Army Navy Force Forces Parliament Assembly Senate Congress Government Cabinet "
    "Movement Front Coalition Campaign Network Project Programme Program Microsoft Apple Google "
    "Street Road Square House Hall Palace Park Stadium Arena Island Islands Kingdom Republic".split()
)
_DETERMINERS: Final = frozenset(
    {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "my", "your", "these", "those"}
)
_AUX: Final = frozenset(
    "also later then earlier once has have had was is reportedly recently previously "
    "further again would will separately subsequently".split()
)
