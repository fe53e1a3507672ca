package scanhook

// The voluntary regimes: off, the interim regulations of 2021 and 2026, and
// the Council's general approach of 2025, which makes the voluntary regime
// permanent. Facts: scanning.md section 1 as corrected by legal-check.md
// sections 1, 3 and 4.

// Shared wording for the regime of Regulation (EU) 2021/1232, which 2026/1881
// re-enacts and the Council's 2025 text makes permanent.
const (
	reg2021Text = "solicitation of children is part of \"online child sexual abuse\" (Art. 2(4) Reg. 2021/1232); " +
		"text scanning may only \"detect patterns\", never \"deduce the substance\" (Art. 3(1)(b)), " +
		"limited to key indicators and risk factors such as age difference (Art. 3(1)(f))"
	reg2021Images = "known and new material (Art. 2(4), Art. 3(1) Reg. 2021/1232)"
	reg2021Video  = "the visual part of videos, as material (Art. 2(4) Reg. 2021/1232)"
	reg2021URLs   = "not named for this regime in our sources (scanning.md, legal-check.md); switch on to try"
	reg2021New    = "new material may be detected; reporting it needs prior human confirmation (Art. 3(1)(g)(iii) Reg. 2021/1232)"
	reg2021Audio  = "audio is excluded (Art. 1(2) Reg. 2021/1232)"
	reg2021Inform = "users are informed in the terms of service, \"in a clear, prominent and comprehensible way\" " +
		"(Art. 3(1)(g)(v) Reg. 2021/1232): an information duty, not consent; nobody is asked"
	reg2021Recipient = "law enforcement authorities and organisations acting in the public interest against child " +
		"sexual abuse (Art. 3(1)(a)(i) and (j) Reg. 2021/1232)"
	reg2021Human = "Art. 3(1)(g)(iii) Reg. 2021/1232: no report of material not previously identified, or of " +
		"solicitation, \"without prior human confirmation\""
	reg2021Format   = "in practice NCMEC CyberTipline reports, whose format differs; the COM(2022) 209 Art. 13(1) structure is used here for comparison"
	notSwitchedNone = "the mode scans nothing"
)

var modeOff = Mode{
	Name:         ModeOff,
	Title:        "Off",
	Source:       "none",
	SourceStatus: "not applicable",
	Summary:      "No scanning. Messages go straight to encryption. This is the default.",
	Precondition: Precondition{Kind: PreconditionNone, Text: "scanning is off"},
	Defaults: []SwitchDefault{
		{SwitchText, false, notSwitchedNone}, {SwitchImages, false, notSwitchedNone},
		{SwitchVideo, false, notSwitchedNone}, {SwitchURLs, false, notSwitchedNone},
		{SwitchNew, false, notSwitchedNone}, {SwitchE2EE, false, notSwitchedNone},
		{SwitchConsent, false, notSwitchedNone}, {SwitchConsentLinks, false, notSwitchedNone},
		{SwitchConsentSend, false, notSwitchedNone}, {SwitchBlockOnMatch, false, notSwitchedNone},
	},
	Audio:   "scanning is off",
	Consent: ConsentRule{Kind: ConsentNotApplicable, Text: "nothing is scanned, so nothing is asked"},
	Reports: ReportRule{Recipient: "none", Onward: "none", UserInformed: "not applicable",
		LegalBasis: "none", ReportArticle: "none", AwarenessChannel: "none", Format: "none"},
}

var modeInterim2021 = Mode{
	Name:  ModeInterim2021,
	Title: "Interim regulation 2021 (\"Chat Control 1.0\")",
	Source: "Regulation (EU) 2021/1232 of 14 July 2021 (OJ L 274/41), a derogation from Directive 2002/58/EC " +
		"Art. 5(1) and 6(1); extended to 3 Apr 2026 by Regulation (EU) 2024/1307; lapsed on 4 Apr 2026",
	SourceStatus: "verified (legal-check.md section 1); Art. 3 from the OJ text as recalled, cross-checked with OEIL 1891790",
	Summary: "Voluntary scanning by providers of messaging services: known and new images and videos and " +
		"grooming text patterns, not audio. Users are informed, not asked. New material and grooming are reported " +
		"only after human confirmation. In practice not applied to end-to-end encrypted chats.",
	Precondition: Precondition{Kind: PreconditionAssumed,
		Text: "scanning is voluntary (Art. 1(1) Reg. 2021/1232): the simulation assumes the provider chose to scan, as large providers did"},
	Defaults: []SwitchDefault{
		{SwitchText, true, reg2021Text},
		{SwitchImages, true, reg2021Images},
		{SwitchVideo, true, reg2021Video},
		{SwitchURLs, false, reg2021URLs},
		{SwitchNew, true, reg2021New},
		{SwitchE2EE, false, "the regulation does not exclude end-to-end encryption but creates no duty to scan; " +
			"in practice it was not applied to end-to-end encrypted chats (legal-check.md section 1)"},
		{SwitchConsent, false, reg2021Inform},
		{SwitchConsentLinks, false, "no consent rule in this regime"},
		{SwitchConsentSend, false, "no consent rule in this regime"},
		{SwitchBlockOnMatch, false, "the regulation allows blocking the account (Art. 3(1)(h)) but does not require " +
			"stopping a message; the simulation lets it go"},
	},
	Audio:   reg2021Audio,
	Consent: ConsentRule{Kind: ConsentInformedOnly, Text: reg2021Inform},
	Reports: ReportRule{
		Recipient:         reg2021Recipient,
		Onward:            "national police of the user's country",
		ThirdCountry:      "in practice NCMEC (United States)",
		UserInformed:      "not individually; users have complaint and redress rights (Art. 3(1)(g)(iv), (vi)); data kept at most 12 months (Art. 3(1)(i))",
		LegalBasis:        "Regulation (EU) 2021/1232, Art. 3",
		ReportArticle:     "Art. 3(1)(j) Reg. 2021/1232: every \"reasoned and verified suspicion\" is reported without delay",
		HumanConfirmation: reg2021Human,
		AwarenessChannel:  "own motion (voluntary detection)",
		Format:            reg2021Format,
	},
	Notes: []string{
		"From 4 Apr 2026 to 30 Jul 2026 no derogation applied (legal-check.md section 4).",
		"The simulation has no classifier for new images: \"new\" matches come from a demo list that stands in for one.",
	},
}

var modeInterim2026 = Mode{
	Name:  ModeInterim2026,
	Title: "Interim regulation 2026 (in force)",
	Source: "Regulation (EU) 2026/1881 (OJ 28 Jul 2026; in force 31 Jul 2026, applies until 3 Apr 2028), " +
		"re-enacting Regulation (EU) 2021/1232, procedure 2025/0429(COD)",
	SourceStatus: "secondary sources only, not checked against the Official Journal (legal-check.md section 4)",
	Summary: "The law in force today: the voluntary regime of 2021, but interpersonal communications that are " +
		"end-to-end encrypted are excluded. An OMEMO chat is never scanned; a plaintext one may be.",
	Precondition: Precondition{Kind: PreconditionAssumed,
		Text: "scanning is voluntary (as Art. 1(1) Reg. 2021/1232): the simulation assumes the provider chose to scan plaintext chats"},
	Defaults: []SwitchDefault{
		{SwitchText, true, reg2021Text + "; grooming detection still allowed with human confirmation (reported content of 2026/1881)"},
		{SwitchImages, true, reg2021Images},
		{SwitchVideo, true, reg2021Video},
		{SwitchURLs, false, reg2021URLs},
		{SwitchNew, true, reg2021New},
		{SwitchE2EE, false, "Art. 1(3) Reg. 2026/1881 excludes \"interpersonal communications to which end-to-end " +
			"encryption is, has been or will be applied\" (reported; unverified against the OJ)"},
		{SwitchConsent, false, reg2021Inform},
		{SwitchConsentLinks, false, "no consent rule in this regime"},
		{SwitchConsentSend, false, "no consent rule in this regime"},
		{SwitchBlockOnMatch, false, "as in 2021/1232: no duty to stop a message; the simulation lets it go"},
	},
	Audio:   "audio is excluded (Art. 1(2), as reported for Reg. 2026/1881)",
	Consent: ConsentRule{Kind: ConsentInformedOnly, Text: reg2021Inform},
	Reports: ReportRule{
		Recipient:         reg2021Recipient,
		Onward:            "national police of the user's country",
		ThirdCountry:      "in practice NCMEC (United States)",
		UserInformed:      "not individually; complaint and redress as in Art. 3(1)(g) Reg. 2021/1232",
		LegalBasis:        "Regulation (EU) 2026/1881 (re-enacting Regulation (EU) 2021/1232, Art. 3)",
		ReportArticle:     "Art. 3(1)(j) Reg. 2021/1232 as re-enacted: every \"reasoned and verified suspicion\" is reported without delay",
		HumanConfirmation: reg2021Human + " (as re-enacted)",
		AwarenessChannel:  "own motion (voluntary detection)",
		Format:            reg2021Format,
	},
	Contested: []ContestedPoint{{
		ID:       "e2ee-carve-out",
		Question: "How far does the end-to-end encryption carve-out reach?",
		Readings: []Reading{
			{Says: "an explicit Art. 1(3): end-to-end encrypted chats are never scanned",
				Sources: "notes of Sep 2026 (legal-check.md section 4, contradiction 3)",
				Sets:    map[Switch]bool{SwitchE2EE: false}},
			{Says: "a carve-out of \"uncertain practical scope\"; to try the widest reading, scanning of encrypted chats is switched on",
				Sources: "French notes (legal-check.md section 4, contradiction 3)",
				Sets:    map[Switch]bool{SwitchE2EE: true}},
		},
	}},
	Notes: []string{
		"From 4 Apr 2026 to 30 Jul 2026 no derogation applied (legal-check.md section 4).",
		"The adoption date is given as 23 Jul and as 24 Jul 2026 (legal-check.md section 4, contradiction 7).",
		"The simulation has no classifier for new images: \"new\" matches come from a demo list that stands in for one.",
	},
}

var modeCouncil2025 = Mode{
	Name:  ModeCouncil2025,
	Title: "Council general approach 2025",
	Source: "Council general approach on COM(2022) 209, Coreper 26 Nov 2025 (text of 13 Nov 2025, doc 15318/25); " +
		"NL, CZ and PL against, IT abstained",
	SourceStatus: "secondary sources (digitalpolicyalert event 35712, thefifthskill.com, cyberwarzone; legal-check.md section 1)",
	Summary: "No detection orders (Art. 7-11 deleted). The voluntary scanning of 2021 is made permanent: " +
		"whether anything is scanned is the provider's choice. Scope as in 2021: images, video and text, new " +
		"material and grooming, not audio. Nobody is asked.",
	Precondition: Precondition{Kind: PreconditionProvider,
		Text: "detection orders (Art. 7-11) deleted and the 2021 derogation made permanent: scanning happens only if the provider chooses it"},
	Defaults: []SwitchDefault{
		{SwitchText, true, "voluntary scope by inheritance from Reg. 2021/1232 (CEPIS; legal-check.md section 1): " + reg2021Text},
		{SwitchImages, true, "voluntary scope by inheritance: " + reg2021Images},
		{SwitchVideo, true, "voluntary scope by inheritance: " + reg2021Video},
		{SwitchURLs, false, reg2021URLs},
		{SwitchNew, true, "voluntary scope by inheritance: " + reg2021New},
		{SwitchE2EE, false, "contested: see the point e2ee-voluntary"},
		{SwitchConsent, false, "no per-user consent; the provider decides (scanning.md section 1)"},
		{SwitchConsentLinks, false, "no consent rule in this text"},
		{SwitchConsentSend, false, "no consent rule in this text"},
		{SwitchBlockOnMatch, false, "no duty to stop a message in our sources; the simulation lets it go"},
	},
	Audio:   "audio is excluded (by inheritance from Art. 1(2) Reg. 2021/1232)",
	Consent: ConsentRule{Kind: ConsentInformedOnly, Text: "no per-user consent; the provider decides; users informed as under Reg. 2021/1232"},
	Reports: ReportRule{
		Recipient:         "the EU Centre, which maintains databases of reports and indicators (digitalpolicyalert event 35712)",
		Onward:            "Europol (digitalpolicyalert event 35712)",
		UserInformed:      "not individually (as under Reg. 2021/1232); no specific rule in our sources",
		LegalBasis:        "COM(2022) 209 as in the Council general approach of 26 Nov 2025 (voluntary detection made permanent)",
		ReportArticle:     "the reporting duty of COM(2022) 209 Art. 12 as kept in the general approach (article numbering of the final text unverified)",
		HumanConfirmation: reg2021Human + " (by inheritance; unverified for the final text)",
		AwarenessChannel:  "own motion (voluntary detection)",
		Format:            "COM(2022) 209 Art. 13(1) and Annex III",
	},
	Contested: []ContestedPoint{{
		ID:       "e2ee-voluntary",
		Question: "Does a provider's voluntary scanning reach end-to-end encrypted chats?",
		Readings: []Reading{
			{Says: "no: as under the 2021 regime in practice, encrypted chats are not scanned",
				Sources: "scanning.md section 1, demo implication",
				Sets:    map[Switch]bool{SwitchE2EE: false}},
			{Says: "yes, if the provider chooses: the permanent derogation does not itself exclude end-to-end encryption, " +
				"and risk mitigation pushes high-risk services (critics: \"de-facto mandatory via Art. 4\")",
				Sources: "legal-check.md section 1 (2021/1232 has no E2EE exclusion); scanning.md section 1 (critics)",
				Sets:    map[Switch]bool{SwitchE2EE: true}},
		},
	}},
	Notes: []string{
		"Three risk tiers; high-risk providers \"contribute to the development of technologies\" (digitalpolicyalert 35712).",
		"A review clause may bring mandatory detection back later (captaincompliance.com).",
		"Some notes date the mandate 13 Nov 2025: probably the text's date, not the approval (legal-check.md).",
		"The simulation has no classifier for new images: \"new\" matches come from a demo list that stands in for one.",
	},
}
