"""The words that carry meaning in an answer, as compiled patterns over normalized (lower-case) text.

Each pattern names one thing a person can say about a control: that it is absent, only planned,
contradicted in practice, short of coverage, backed by records or not. The offline interpreter
combines them; nothing here knows about a particular control.
"""

from __future__ import annotations

import re


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


AFFIRM = _rx(
    r"yes",
    r"yep",
    r"yup",
    r"yeah",
    r"ya",
    r"yea",
    r"sure",
    r"absolutely",
    r"definitely",
    r"of course",
    r"correct",
    r"indeed",
    r"certainly",
    r"affirmative",
    r"totally",
    r"100 ?%",
    r"that'?s right",
    r"we do",
    r"we have",
    r"we are",
    r"it is",
    r"they are",
    r"all good",
    r"ok(ay)?",
    r"right",
    r"exactly",
    r"always",
    r"uh[- ]huh",
)
BARE_NEGATIVE = re.compile(
    r"^(?:no+|nope|nah|not yet|not really|never|none|we don'?t|we do not|no we don'?t|not at all|"
    r"negative|not currently|we haven'?t|nothing|no,? not yet|no,? never|no,? none)\b"
)
HEDGE = _rx(
    r"i think( so)?",
    r"i believe( so)?",
    r"pretty sure",
    r"fairly sure",
    r"mostly sure",
    r"probably",
    r"i guess",
    r"as far as i know",
    r"afaik",
    r"i'?m fairly certain",
    r"should be",
    r"supposedly",
    r"in theory",
    r"more or less",
    r"kind of",
    r"kinda",
    r"sort of",
    r"roughly",
    r"if i'?m not mistaken",
    r"if i remember (?:right|correctly)",
    r"i'?m (?:fairly|pretty|quite) (?:sure|certain|confident)",
)
UNSURE = _rx(
    r"not sure",
    r"unsure",
    r"no idea",
    r"(?:i|we) (?:really |honestly |actually )?(?:don'?t|do not) (?:really |actually )?know",
    r"(?:lawyer|contractor|accountant|cto|ceo|he|she|they|someone|somebody|it|ops|hr|finance) (?:would|will|might) know",
    r"let me (?:ask|check|find out)",
    r"get back to you",
    r"dunno",
    r"not certain",
    r"no clue",
    r"beats me",
    r"can'?t remember",
    r"cannot remember",
    r"don'?t remember",
    r"i'?d (have|need) to (ask|check)",
    r"i would (have|need) to (ask|check)",
    r"(have|need) to (ask|check with)",
    r"ask (our|my|the) (it|ops|security|devops|hr|contractor|cto|team|admin)",
    r"not something i (know|handle|deal with)",
    r"i'?m not the right person",
    r"no visibility",
    r"can'?t say",
    r"hard to say",
    r"(?:couldn'?t|can'?t|cannot|could not|wouldn'?t be able to) (?:really |honestly |even )?tell you",
    r"not a clue",
    r"(?!we\b|i\b)\w+ (?:would|might|should) know",
    r"(?:no idea|don'?t know|not sure) (?:what|which|whether|if|how)",
)
# Says who is responsible, not what they do: "laptops are all the MSP's department".
DELEGATED = re.compile(
    r"\b(?:is|are|that'?s|it'?s) (?:all |entirely |completely )?(?:(?:our|the|their) )?(?:[\w-]+ ){0,2}?"
    r"(?:[\w-]+'s?|their|his|her) "
    r"(?:department|job|area|thing|responsibility|domain|call|problem|territory)\b"
    r"|\b(?:handled|managed|looked after|taken care of|run|owned) (?:entirely |all )?by (?:our |the |an? )?"
    r"(?:msp|it contractor|contractor|agency|outsourced|external|vendor|provider|partner)\b"
)
# Waiting for someone outside to notice is the absence of a check, not a check: "customers would tell us".
RELIES_ON_OTHERS = re.compile(
    r"\b(?:customers?|clients?|users?|someone|somebody|people|they)\b (?:would|will|'d|'ll|usually|just)? ?"
    r"(?:tell|notice|complain|report|let us know|flag|shout|email|ping|call)\w*"
    r"|\bwe'?d (?:hear|find out|know) (?:about it )?(?:from|if|when)\b"
)
NEGATION = _rx(
    r"no",
    r"not",
    r"never",
    r"none",
    r"nobody",
    r"no one",
    r"noone",
    r"nothing",
    r"nowhere",
    r"neither",
    r"nor",
    r"without",
    r"lack(s|ing)?",
    r"missing",
    r"absent",
    r"haven'?t",
    r"hasn'?t",
    r"hadn'?t",
    r"don'?t",
    r"doesn'?t",
    r"didn'?t",
    r"isn'?t",
    r"aren'?t",
    r"wasn'?t",
    r"weren'?t",
    r"won'?t",
    r"can'?t",
    r"cannot",
    r"couldn'?t",
    r"wouldn'?t",
    r"shouldn'?t",
    r"dont",
    r"doesnt",
    r"havent",
    r"isnt",
    r"arent",
    r"cant",
    r"wont",
    r"n/a",
    r"nope",
    r"nah",
    r"skipped",
    r"optional",
    r"unenforced",
    r"not enforced",
    r"manual(ly)? only",
    r"un(?:authenticated|encrypted|signed|tested|reviewed|approved|monitored|patched|managed|label+ed|protected|"
    r"tracked|documented|recorded|enforced)",
)
UN_WORD = re.compile(
    r"\bun(authenticated|encrypted|signed|tested|reviewed|approved|monitored|patched|managed|label+ed|protected|"
    r"tracked|documented|recorded|enforced)\b"
)
# Negations that only say nothing happened since a dated event ("nothing since", "not redone it since").
NEUTRAL_NEGATION = re.compile(
    r"\b(?:nothing|none|not|no one|nobody|haven'?t|hasn'?t)\b[^.;]{0,40}?\bsince(?: then| that| the last one)?\s*[.!]?$"
    r"|\bnothing since\b|\bnot since\b"
    r"|\bbecause (?:they|those|these|it|them) (?:can'?t|cannot|don'?t|do not|have no|never) (?:reach|access|touch|"
    r"have access|get to|see)\b"
    r"|\bno (?:legacy |old |more )?\w+ (?:left|anymore|any more)\b"
    r"|\bif i'?m not mistaken\b|\bnot mistaken\b|\bno doubt\b|\bno question\b|\bnot only\b"
)
# Negations that assert the requirement ("nothing ships without review", "no exceptions").
AFFIRMING_NEGATION = re.compile(
    r"\b(?:no one|nobody|noone|nothing|no (?:change|code|pr|commit|deploy|merge|release|one|user|account|"
    r"engineer|human|employee|login|person|access)\w*|never|can'?t|cannot|not (?:possible|allowed|permitted)|"
    r"isn'?t (?:possible|allowed)|impossible)\b[^.;]{0,80}?\b(?:without|unless|except through|except via|"
    r"other than through|but through|outside (?:of )?(?:the )?(?:pipeline|ci|process))\b"
    r"|\bno exceptions?\b|\bwithout (?:any )?exceptions?\b|\bnot optional\b|\bno opt[- ]out\b"
    r"|\b(?:can'?t|cannot|no way to|not able to|unable to) (?:be )?(?:turn(?:ed)? (?:it )?off|switch(?:ed)? (?:it )?off|"
    r"disabl\w*|skip\w*|bypass\w*|opt(?:ed)? out|approve (?:their|his|her|your) own|merge (?:their|his|her|your) own|"
    r"push (?:directly )?to (?:main|master|prod))"
    r"|\bnot (?:at all )?open\b|\bisn'?t open\b|\bnever (?:skip|bypass)\w*"
    r"|\bno (?:issues?|problems?|gaps?|findings? (?:open|outstanding)|overdue)\b"
    r"|\b(?:nothing|none) (?:critical )?(?:has )?(?:gone|went|is|are) (?:past|over|overdue|beyond|outside)"
    r"|\bnever (?:miss|missed|late|lapsed|slipped|breached|exceeded|violated|broke|blown)\b|\bnot once\b"
    r"|\b(?:nobody|no one|noone) (?:can|could|is able to|gets to) (?:turn|switch|opt|disabl|skip|bypass|approve|merge|push)"
    r"|\b(?:never|not|haven'?t|hasn'?t|no one|nobody|noone|don'?t|didn'?t|can'?t|cannot|won'?t)\b[^.;]{0,40}?"
    r"\b(?:skip(?:s|ped|ping)?|bypass\w*|get(?:s|ting)? around|got around|circumvent\w*|turn(?:ed)? (?:\w+ )?(?:of )?(?:that|it|this|them) off|"
    r"turn(?:ed)? off|disabl\w*|switch(?:ed)? (?:it |that )?off|opt(?:ed)? out|change[ds]? (?:that|it|this|the defaults?))\b"
    r"|\bno (?:exclusions?|exemptions?|carve[- ]outs?)\b"
    r"|\b(?:there'?s |there is )?no (?:vpn|bastion) (?:to manage|needed|required|necessary)\b|\bno need for (?:a )?(?:vpn|bastion)\b"
    r"|\b(?:won'?t|doesn'?t|will not|does not|can'?t|cannot) (?:let|allow|promote|deploy|merge|release)\w*[^.;]{0,30}?\b(?:otherwise|unless|without|until)\b"
    r"|\b(?:who|that|which) (?:isn'?t|aren'?t|is not|are not) the (?:author|committer|submitter|person who|same person)"
    r"|\bnot the (?:author|committer|submitter|same person)"
    r"|\b(?:can'?t|cannot|unable to|no way to|not able to) (?:reach|access|talk to|connect to|get to|route to|see)\b"
    r"|\bno (?:route|path|peering|connectivity|network path|network access|direct connection)s?\b"
    r"|\bseparate from (?:their |the |our )?(?:day[- ]to[- ]day|everyday|normal|regular)"
    # A restriction that is the control's point: "no other way in", "no override", "admins can't override it",
    # "nobody has standing admin", "no prod access by default".
    r"|\bno (?:other|second|alternative|back(?:door)?|side) (?:way|path|route|door|entry|access|login)s?\b"
    r"|\bno (?:ssh|rdp|telnet|public ips?|public endpoints?|open ports?|inbound (?:ports?|access)|shell access)\b"
    r"|\b(?:can'?t|cannot|unable to|not able to) (?:touch|modify|edit|delete|tamper with|alter|overwrite|erase)\b"
    r"|\b(?:flags?|alerts? on|catch(?:es)?|blocks?|rejects?|denies|fails?) (?:anything|any \w+|whatever|everything) "
    r"(?:that|which) (?:isn'?t|is not|doesn'?t|does not|aren'?t|lacks?)\b"
    r"|\bno (?:direct|force[- ]?|manual|unreviewed) ?(?:push(?:es|ing)?|commits?|merges?|deploys?|changes?)\b"
    r"|\bno (?:bypass|override|way around|backdoor|workaround)\w*"
    r"|\b(?:can'?t|cannot|unable to|not able to|isn'?t able to|aren'?t able to) (?:\w+ )?(?:overrid|overrul)\w*"
    r"|\bno(?:body|one| one)? (?:\w+ )?(?:has|have|holds?|gets?|with) standing\b|\bno standing\b"
    r"|\bno (?:\w+ )?(?:access|rights?|permissions?|privileges?|roles?) (?:by default|unless|until)\b"
)
INTENT = _rx(
    r"we plan",
    r"planning to",
    r"plan(ned)? to",
    r"plan is to",
    r"we should",
    r"should (probably|really|eventually)",
    r"we'?d (like|love|want) to",
    r"would (like|love) to",
    r"hoping to",
    r"hope to",
    r"want to (start|set up|implement|add|get|do|roll|introduce|build|write)",
    r"going to",
    r"gonna",
    r"will (start|set up|implement|add|get|do|roll|introduce|build|write|begin|turn|enable|move|have)",
    r"we'?ll (start|set up|implement|add|get|do|roll|introduce|build|write|begin|turn|enable|move|have)",
    r"on (the|our) (road ?map|todo|to-do|backlog|list)",
    r"in (the|our) backlog",
    r"someday",
    r"some day",
    r"one day",
    r"eventually",
    r"at some point",
    r"next (quarter|month|year|sprint|half)",
    r"later this year",
    r"haven'?t (gotten|got) (to|around)",
    r"not yet",
    r"working on (it|that|this|getting|setting|rolling)",
    r"in the process of",
    r"about to",
    r"intend(ing)? to",
    r"aim(ing)? to",
    r"considering",
    r"looking into",
    r"evaluating",
    r"thinking about",
    r"need to (set up|start|implement|get|write|do)",
    r"needs? to be (set up|done|written|implemented)",
    r"is planned",
    r"are planned",
    r"todo",
    r"to-?do list",
    r"would be (?:great|nice|good|ideal|smart|wise)",
    r"nice[- ]to[- ]have",
    r"wish ?list",
    r"(?:meant|supposed) to (?:fill|do|run|start|write|set)",
    r"still (?:blank|empty|a draft|in draft|a template)",
    r"(?:looked|looking) at (?:a few|a couple of|some|several) (?:vendors|tools|options|products)",
    r"once we'?re (?:bigger|larger|a bit bigger)",
    r"when we (?:grow|get bigger|have time|raise)",
    r"(?:need|needs) to happen",
)
COVERAGE_EXCEPTION = _rx(
    r"except(ing)?( for)?",
    r"apart from",
    r"other than",
    r"aside from",
    r"save for",
    r"excluding",
    r"with the exception of",
    r"all but",
    r"everything but",
    r"everywhere but",
    r"everyone but",
    r"but not (on|for|in|the)",
    r"most( of)?",
    r"mostly",
    r"majority",
    r"almost (all|every\w*)",
    r"nearly (all|every\w*)",
    r"not (all|every\w*)",
    r"some of",
    r"only some",
    r"some (?:people|employees|staff|contractors|systems|servers|services|apps|accounts|repos|teams|vendors|hosts|"
    r"machines|laptops|endpoints|users|buckets|databases|tools)",
    r"a few",
    r"only (for|on|in|some|a few|part|half|the main|our main|critical|prod(uction)?)",
    r"partial(ly)?",
    r"only (?:part|some) of",
    r"(?:we|but) (?:skip|exclude|leave out)",
    r"(?:leaving out|left out)",
    r"at night|overnight|on (?:the )?weekends?|after hours|outside (?:of )?(?:business|office|working) hours",
    r"(?:is|are|was|were|get|gets) (?:excluded|exempt(?:ed)?|carved out)",
    r"half( of)?",
    r"rolling (it )?out",
    r"rolled out to",
    r"in most",
    r"a handful",
    r"one (system|app|service|server|tool|account|database|bucket|repo|exception)",
    r"a couple of (people|contractors|employees|accounts|systems|services|users|folks|vendors|tools)",
    r"(two|three|four|five|six|\d+) (people|contractors|employees|accounts|systems|services|users|folks|"
    r"engineers|of us|of them|vendors|tools|laptops|machines|hires|buckets|servers)",
    r"the (early|older|old|original|first) (ones|hires|employees|folks|people|team|crew)",
    r"early (employees|hires|folks|team)",
    r"not (multi|highly available|redundant|replicated)",
    r"(?:is|are) the (?:exception|exceptions|odd one out)",
    r"(?:the|one|only|an|two) exceptions? (?:is|are)",
    r"(?:and|but) (?:nobody|no one|nothing|none|no other \w+) else",
    r"and (?:nobody|no one|nothing) else",
    r"(?:wasn'?t|isn'?t|aren'?t|weren'?t|not) (?:included|covered|in scope|part of (?:it|that|the review)|enrolled|onboarded)",
    r"(?:about |roughly |around )?(?:a third|a quarter|two thirds|a fifth|\d+ ?%|\d+ percent) of",
    r"single (instance|server|region|az|zone|node|database)",
    r"one (instance|rds instance|region|az|zone|node)",
)
# A universal claim, which meets a coverage requirement when nothing is excepted.
UNIVERSAL = _rx(
    r"every(one|body|thing|where)?",
    r"all",
    r"each",
    r"across the board",
    r"company[- ]wide",
    r"org[- ]wide",
    r"whole (org|organization|company|team|domain)",
    r"entire (org|organization|company|team|fleet|estate)",
    r"100 ?%",
    r"without exception",
    r"no exceptions?",
    r"both",
    r"any",
)
EVIDENCE_NAMED = _rx(
    r"tickets?",
    r"(?:issue|ticket|pr|change|cr|case) ?#\s?\d+",
    r"(?:has|have|with|shows?|lists?) (?:my|our|their|his|her|the reviewer'?s?|the approver'?s?) names? on (?:it|them)",
    r"jira",
    r"linear",
    r"asana",
    r"servicenow",
    r"exports?",
    r"exported",
    r"exportable",
    r"records?",
    r"recorded",
    r"lms",
    r"certificates?",
    r"signed",
    r"signatures?",
    r"sign[- ]off",
    r"signed off",
    r"acknowledg\w+",
    r"write[- ]?ups?",
    r"written up",
    r"writeup",
    r"report",
    r"reports",
    r"screenshots?",
    r"timestamps?",
    r"timestamped",
    r"dated",
    r"with dates?",
    r"reviewer names",
    r"names and dates",
    r"participants?",
    r"attendees?",
    r"minutes",
    r"audit (log|trail)s?",
    r"logged",
    r"logs",
    r"spreadsheet",
    r"evidence",
    r"documented",
    r"written down",
    r"in (notion|confluence|google docs|the wiki|a doc|drive|rippling|gusto|bamboohr|vanta|drata|github|gitlab)",
    r"page history",
    r"version history",
    r"checklist",
    r"history",
    r"approval records?",
    r"merged prs?",
    r"pr history",
    r"can (show|prove|export|pull)",
    r"register",
    r"risk register",
    r"output",
    r"docs?",
    r"pdfs?",
    r"completion (?:dates?|records?|reports?|certificates?|rates?)",
    r"tracked per (?:person|employee|user)",
    r"in (?:archer|sharepoint|jira|vanta|drata|secureframe|the grc tool|hubspot|zendesk|workday|lattice|knowbe4)",
    r"per[- ]person",
    r"dates?",
)
EVIDENCE_MISSING = re.compile(
    r"\b(?:no|not|don'?t|do not|never|nothing|none|without|lack\w*|missing|haven'?t|didn'?t|can'?t|cannot|nobody|"
    r"no one|noone)\b[^.;]{0,40}?\b(?:records?|recorded|tickets?|evidence|proof|documentation|documented|written|write[- ]?ups?|"
    r"writeup|wrote (?:it |them |that )?(?:up|down)|write (?:it |them |that )?(?:up|down)|logs?|logged|track\w*|trail|paper ?trail|certificates?|screenshots?|names|dates|timestamps?|"
    r"signatures?|signed|sign-?off|export\w*|keep (?:any|a) (?:list|record)|report|minutes|notes|prove|show)\b"
    r"|\b(?:informal(?:ly)?|verbal(?:ly)?|undocumented|unrecorded|by word of mouth|in (?:our|my|people'?s) heads?|"
    r"in slack only|just (?:in )?slack|only in slack|on a (?:call|zoom)|off the record|nothing (?:is )?written)\b"
)
# Saying the activity is on a calendar, or was only read, is not doing it.
SCHEDULED_NOT_DONE = re.compile(
    r"\b(?:calendar invite|calendar reminder|recurring (?:meeting|invite|event)|on the calendar|"
    r"(?:is|are|was|were) scheduled|we scheduled|it'?s scheduled|have a reminder|set a reminder|"
    r"keeps? getting (?:pushed|postponed|moved|skipped|cancell?ed)|(?:always|usually|keeps? getting) "
    r"(?:pushed|postponed|skipped|cancell?ed)|never (?:actually )?(?:happens?|happened|got done|gets done)|"
    r"haven'?t (?:actually )?(?:done|held|run|had) (?:one|it|them|any)|hasn'?t (?:actually )?happened)\b"
)
UNTRACKED = re.compile(
    r"\b(?:nobody|no one|noone|nothing|not|never|don'?t|doesn'?t|isn'?t|aren'?t|no)\b[^.;,]{0,40}?"
    r"\b(?:tracks?|tracked|tracking|follows? up|followed up|fix(?:es|ed)?|remediat\w*|acts? on|"
    r"looks? at|looked at|reviews? (?:the )?(?:findings|results|reports?)|triag\w*|closes?|closed)\b"
    r"|\b(?:nobody|no one|noone) (?:reads?|opens?|checks?|looks? at) (?:it|them|the (?:pdf|report|email|results|findings))"
    r"|\b(?:don'?t|do not|never) (?:open|create|file|raise|log) (?:any )?(?:tickets?|issues?)"
    r"|\b(?:findings|results|reports?|alerts?)\b[^.;]{0,30}?\b(?:just )?(?:sit|pile up|go nowhere|get ignored|"
    r"are ignored|ignored|go to (?:a|an) (?:inbox|folder|channel) nobody|unread)\b"
)
NOT_A_TEST = re.compile(
    r"\b(?:(?:we |i |team )?(?:reviewed|read|read through|went over|looked over|looked at|walked through|"
    r"skimmed|updated|revised|discussed) (?:the |our |it|that|this)?\s*(?:ir |incident response |dr |"
    r"disaster recovery |bc |continuity |bcdr |recovery )?(?:plan|runbook|document|doc|policy|it)?)\b"
)
TESTED_CUE = re.compile(
    r"\b(?:tabletop|exercise|drill|simulat\w*|game ?day|fire drill|restore test|failover test|tested|ran a|"
    r"we ran|dry run|rehears\w*|mock incident)\b"
)
# Says what is written, not what is done: "the policy says two approvals".
POLICY_STATEMENT = re.compile(
    r"\b(?:policy|policies|procedure|handbook|contracts?|standard|sop|schedule|plan|runbook|playbook)\b[^.;]{0,20}?"
    r"\b(?:says?|states?|requires?|"
    r"requiring|mandates?|calls for|demands?)\b|\bon paper\b|\bofficially\b|\bsupposed to\b|\bin theory\b"
    r"|\bthe rule is\b|\bour rule\b|\bin (?:the|our) (?:policy|policies|handbook|procedures?|wiki)\b"
)
# No process at all, said without a negation: improvised, reactive, whenever.
NO_REAL_PROCESS = re.compile(
    r"\b(?:figure it out|wing it|improvis\w*|play it by ear|cross that bridge|deal with it (?:when|if)|"
    r"(?:only )?when something (?:breaks|broke|goes wrong|went wrong|happens|happened)|"
    r"if something (?:breaks|broke|goes wrong|went wrong|happens|happened)|we'?d (?:probably )?just|"
    r"when (?:a )?customers? complains?|whenever (?:someone|somebody|we) (?:notices?|remembers?))\b"
)
# The answer itself says the claim before it is not true ("that isn't true yet, marketing got ahead of us").
CLAIM_DENIED = re.compile(
    r"\b(?:isn'?t|is not|not|wasn'?t|aren'?t) (?:really |actually |quite |entirely )?(?:true|accurate|the case|correct|real)\b"
    r"|\baspirational\b|\bgot ahead of (?:us|ourselves|reality)\b|\bnot (?:actually )?(?:in place|happening)\b"
)
# A sentence that reports what really happens after one saying what should ("officially ... realistically").
REALITY = re.compile(
    r"^(?:but )?(?:realistically|in practice|in reality|practically|the reality is|truth is|the truth is|"
    r"actually,|honestly,|in real life)\b"
)
# Practices that, stated as fact, contradict the control (guide: what is practised decides).
BAD_PRACTICE = _rx(
    r"merge (?:their|his|her|my|our|ur|your|its) own",
    r"approv\w* (?:their|his|her|my|our|ur|your|its) own",
    r"self[- ]?merg\w*",
    r"self[- ]?approv\w*",
    r"merges? (?:it|them|prs?|changes?) (?:themselves|himself|herself|myself)",
    r"push(?:es|ed)? (?:straight|directly) to (?:main|master|prod\w*)",
    r"push(?:es|ed)? to (?:main|master|prod\w*) directly",
    r"deploy\w*(?: to (?:prod\w*|production|the cloud))? (?:straight |directly )?from (?:their|his|her|my|our|a) (?:laptops?|machines?|local)",
    r"(?:applied|deployed|pushed|run|ran) (?:straight |directly )?from (?:their |his |her |my |our |a )?(?:laptops?|machines?|local)",
    r"permanent (?:owner|admin\w*|root|global admin\w*|prod\w*) (?:roles?|access|rights|permissions)",
    r"(?:normal|regular|everyday|every-day|day[- ]to[- ]day|personal|daily) (?:\w+ )?accounts? (?:are|have|with|as) (?:global |full |permanent )?(?:admins?|owners?|root)",
    r"same (?:\w+ )?(?:credentials?|passwords?|keys?|accounts?|secrets?) (?:for|in|across|between)",
    r"(?:ask|asks|asking) in (?:slack|teams|chat)[^.;]{0,40}(?:adds?|grants?|gives?)",
    r"just (?:adds?|grants?|gives?) (?:them|it|access)",
    r"from (?:developer|dev|engineers'?) (?:laptops?|machines?)",
    r"direct (?:prod(?:uction)? )?(?:database|db) access",
    r"direct access to (?:the )?prod\w*",
    r"standing (?:prod(?:uction)? )?access",
    r"standing (?:\w+ )?(?:db_owner|owner|admin\w*|rights|permissions|roles?|write access)",
    r"(?:share|shared|sharing) (?:the )?(?:same )?(?:credentials?|passwords?|logins?|accounts?|keys?|root)",
    r"same (?:credentials?|passwords?|keys?|account) (?:for|in|across)",
    r"shared (?:admin|root) (?:account|login|user)",
    r"everyone(?: is| has)? (?:an )?admin",
    # "all 3 engineers have owner on the prod project": broad standing rights are the practice that fails.
    r"(?:all|every|each|both)(?: one| single one)?(?: (?:of )?(?:the |our )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten))?"
    r"(?: of (?:us|them|our|the))?(?: \w+)? (?:engineers?|devs?|developers?|people|employees|staff|of us) (?:have|has|get|gets|hold|holds)"
    r" (?:an? )?(?:owner|admin\w*|root|superuser|full (?:access|rights)|write access)",
    r"everybody(?: is| has)? (?:an )?admin",
    r"(?:use|uses|using|log in as|work as|work in) (?:the )?root",
    r"(?:plain|plaintext|unencrypted) (?:http|text|traffic)",
    r"http fallback",
    r"http still (?:works|served|serves|answers|open|enabled)",
    r"single point of failure",
    r"(?:plain|just|only|simple) (?:a )?passwords?(?! manager)",
    r"password[- ]only",
    r"rely on (?:strong |good |long )?passwords?",
    r"passwords? alone",
    r"test(?:s|ing)? (?:directly |straight )?(?:in|on|against) prod\w*",
    r"local (?:logins?|accounts?|users?|admin accounts?|passwords?)",
    r"(?:open|exposed|reachable|accessible) (?:directly )?(?:to|from|on) the (?:public )?internet",
    r"publicly (?:accessible|reachable|exposed|open)",
    r"0\.0\.0\.0(?:/0)?",
    r"open to (?:the )?(?:world|everyone|anyone|anybody)",
    r"(?:everything|it all|all of it|the whole (?:app|stack|product)) runs? on (?:a single|one|1|just one) (?:\w+ )?"
    r"(?:instance|server|box|vm|node|machine|host|database)",
    r"admins?\b[^.;]{0,30}\b(?:normal|regular|everyday|every-day|day[- ]to[- ]day|daily|personal) accounts?",
    r"(?:normal|regular|everyday|personal) accounts?[^.;]{0,30}\badmins?",
    r"share (?:the )?same (?:\w+ )?(?:account|accounts|credentials|vpc|network|project|subscription|database|keys?)",
    r"(?:has|have|with) a public ip",
    r"rubber[- ]?stamp\w*",
    r"nobody (?:follows|reads) (?:it|the policy|them)",
    r"not (?:really )?followed",
    r"ignore[sd]? (?:it|the policy|the process)",
    r"skip (?:it|the review|review|the process) when",
    r"(?:work|works|working|use|uses|using|operate)\s+(?:in|with|as|from)?\s*(?:it|them|that|admin\w*|root|the admin\w*)"
    r"(?: role| account)?s?\s+(?:for )?(?:day[- ]to[- ]day|every ?day|daily)",
)
NOT_APPLICABLE = _rx(
    r"fully remote",
    r"all remote",
    r"100 ?% remote",
    r"entirely remote",
    r"completely remote",
    r"remote[- ]only",
    r"no (?:physical )?office",
    r"don'?t have (?:an |a |any )?(?:physical )?office",
    r"no (?:corporate|office|internal) (?:network|lan)",
    r"no corporate lan",
    r"(?:nothing|no servers?|no hosts?|no machines?) to (?:vpn|connect|ssh|log|remote) into",
    r"(?:all|fully|entirely) (?:serverless|managed services)",
    r"not applicable",
    r"doesn'?t apply",
    r"does not apply",
    r"n/a",
    r"irrelevant for us",
    r"not relevant (?:for|to) us",
    r"we don'?t (?:have|use|run|store|process|collect|keep) any",
    r"no (?:such|physical|on[- ]prem\w*) (?:systems?|servers?|data ?cent(?:er|re)s?|infrastructure)",
)
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:previous|prior|above|earlier|all|your|the)\b[^.]{0,30}"
    r"\b(?:instructions?|prompts?|rules?|guidelines|directions)\b"
    r"|^\s*(?:system|assistant|developer|admin)\s*(?:prompt)?\s*:"
    r"|\[(?:system|inst)\]|<\s*/?\s*(?:system|instructions?)\s*>"
    r"|\bas (?:the|an|my) (?:auditor|assessor|ai|assistant|model)\b[^.]{0,40}\b(?:you|must|should|will|have to)\b"
    r"|\b(?:mark|score|rate|set|record|flag|label|report)\b[^.]{0,40}\b(?:everything|all(?: controls?)?|every \w+|"
    r"this|these|them|it|each)\b[^.]{0,25}\b(?:as )?(?:implemented|compliant|passed|passing|green|fully met|met|"
    r"complete)\b"
    r"|\b(?:mark|score|rate|set|record|flag|label|report|treat|count|list)\b[^.]{0,60}\bas (?:implemented|compliant|"
    r"passed|passing|green|fully met|met|complete|done|secure)\b"
    r"|\b(?:note|message|instruction|instructions) (?:to|for) (?:the |any )?(?:ai|model|assistant|llm|bot|auditor|assessor|agent|system)\b"
    r"|\bdisregard\b|\bignore (?:the|that|this|my) (?:sentence|answer|above|previous|last)\b"
    r"|\b(?:the following|this) is authoritative\b"
    r"|\byou (?:are|will) now\b|\bnew instructions?\b|\bact as\b|\bpretend (?:to be|you)\b|\bjailbreak\b"
    r"|\byou must (?:mark|score|rate|output|say|respond|answer)\b|\bprompt injection\b"
    r"|\b(?:reveal|print|show) (?:your|the) (?:system )?prompt\b"
)
QUESTION_START = re.compile(
    r"^(?:what|which|why|how|who|whom|where|when|does|do|is|are|can|could|should|would|will|shall|"
    r"did|may|might|isn'?t|aren'?t|doesn'?t|don'?t|what'?s|how'?s|wdym|huh)\b"
)
SHORT_ANSWER_AFTER_QUESTION = re.compile(
    r"^\s*(?:yes|yep|yeah|no|nope|nah|not really|sometimes|never|always|sure|of course|both|neither)\b"
)
FILLER = re.compile(
    r"\b(?:so|well|um+|uh+|hmm+|honestly|basically|actually|really|just|like|yeah|and|the|a|an|that|this|it|"
    r"is|are|was|we|we'?re|we'?ve|our|us|i|i'?m|you|they|them|do|does|did|have|has|had|one|thing|there|"
    r"there'?s|it'?s|that'?s|already|in place|place|got|for|on|of|to|with|too|also|as|well|now|currently|"
    r"sir|ma'?am|mate|lol|haha|!)\b"
)

# "Others aren't checked because they can't reach sensitive systems": a scoped-out group, not a miss.
JUSTIFIED_EXCLUSION = re.compile(
    r"\bbecause (?:they|those|these|it|them|he|she) (?:can'?t|cannot|don'?t|do not|have no|never|aren'?t|are not) "
    r"(?:reach|access|touch|have access|get to|see|in scope|handle|work with)\b"
)

# Words too common to say what a clause is about; matching ignores them.
FUNCTION_WORDS = frozenset(
    {
        "the",
        "and",
        "for",
        "with",
        "any",
        "from",
        "that",
        "this",
        "are",
        "its",
        "their",
        "not",
        "never",
        "nothing",
        "nobody",
        "none",
        "without",
        "has",
        "have",
        "can",
        "one",
        "but",
        "all",
    }
)
