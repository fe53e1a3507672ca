package scanhook

// The detection-order texts: the Commission's proposal of 2022, Parliament's
// position of 2023 and the Belgian and Danish Council compromises. Facts:
// scanning.md section 1 as corrected by legal-check.md sections 1 and 2.

const (
	eucentreRecipient = "the EU Centre (Art. 12(1) COM(2022) 209)"
	eucentreOnward    = "Europol and the competent national law enforcement authorities (Art. 48(2)-(3)), " +
		"unless the EU Centre finds the report manifestly unfounded"
	eucentreBasis  = "Art. 12(1) COM(2022) 209: the provider \"shall promptly submit a report\" to the EU Centre"
	orderAwareness = "detection order"
	art13Format    = "COM(2022) 209 Art. 13(1) and Annex III"
	noBlockOnMatch = "our sources do not say the client must stop a message on a match; the simulation lets it go"
	noConsentRule  = "no consent rule in this text"
)

var modeCommission2022 = Mode{
	Name:         ModeCommission2022,
	Title:        "Commission proposal 2022 (detection orders)",
	Source:       "COM(2022) 209, procedure 2022/0155(COD), 11 May 2022",
	SourceStatus: "verified against the EUR-Lex text (legal-check.md sections 1 and 2)",
	Summary: "Mandatory detection orders, including end-to-end encrypted services: known and new images and " +
		"videos, and grooming text where one user is a child (under 17). Reports go to the EU Centre. No opt-out; " +
		"the user is told months later, if at all.",
	Precondition: Precondition{Kind: PreconditionAssumed,
		Text: "assumes a detection order (Art. 7) in force for this service, issued by a judicial or independent " +
			"administrative authority (Art. 7(1)); it lasts at most 24 months for material, 12 for solicitation (Art. 7(9))"},
	Defaults: []SwitchDefault{
		{SwitchText, true, "solicitation of children, with the EU Centre's indicators (Art. 10(1), Art. 44(1)(c)); " +
			"only in chats where one user is a child user, under 17 (Art. 7(7), Art. 2(j))"},
		{SwitchImages, true, "known and new material, with the EU Centre's indicators (Art. 10(1), Art. 44(1)(a)-(b))"},
		{SwitchVideo, true, "material includes videos; reports carry \"images, videos and text\" (Art. 13(1)(c))"},
		{SwitchURLs, false, "contested: see the point urls-detection"},
		{SwitchNew, true, "new material (Art. 2(n), Art. 44(1)(b))"},
		{SwitchE2EE, true, "Recital 26: the measures apply \"regardless of the technologies used … That includes the " +
			"use of end-to-end encryption technology\""},
		{SwitchConsent, false, "no opt-out: a detection order binds the provider (Art. 7, Art. 10)"},
		{SwitchConsentLinks, false, noConsentRule},
		{SwitchConsentSend, false, noConsentRule},
		{SwitchBlockOnMatch, false, noBlockOnMatch},
	},
	ChildUserOnlyText: true,
	Audio:             "not scanned: the simulation has no audio scanner; whether detection orders reach audio is not settled in our sources",
	Consent: ConsentRule{Kind: ConsentNone,
		Text: "no opt-out; the user is informed only after a report: once the EU Centre finds it manifestly unfounded, " +
			"or after 3 months unless the EU Centre objects, up to 18 months (Art. 12(2), Art. 48(6)(a), 48(7))"},
	Reports: ReportRule{
		Recipient: eucentreRecipient,
		Onward:    eucentreOnward,
		UserInformed: "after the EU Centre finds the report manifestly unfounded, or after 3 months unless the EU Centre " +
			"says not to, for up to 18 months (Art. 12(2), Art. 48(6)(a), Art. 48(7))",
		LegalBasis:       "COM(2022) 209, Art. 12 and 13",
		ReportArticle:    eucentreBasis,
		AwarenessChannel: orderAwareness,
		Format:           art13Format,
	},
	Contested: []ContestedPoint{{
		ID:       "urls-detection",
		Question: "Are links matched against the URL list under a detection order?",
		Readings: []Reading{
			{Says: "no: detection orders use the Art. 44(1) indicators (known, new, solicitation); the URL list of " +
				"Art. 44(2)(b) serves blocking orders (Art. 16), addressed to internet access providers",
				Sources: "legal-check.md section 1 (COM(2022) 209 read in full)",
				Sets:    map[Switch]bool{SwitchURLs: false}},
			{Says: "yes: the mode is commonly summarised as \"known and new images, URLs, and grooming\"",
				Sources: "the project brief; scanning.md section 5 step 0 (\"everything incl. text\")",
				Sets:    map[Switch]bool{SwitchURLs: true}},
		},
	}},
	Notes: []string{
		"The Commission's statement that scanning \"may enable the detection … on device, prior to the encryption\" (P-000946/2023) was not found in our sources.",
		"The simulation has no classifier for new images: \"new\" matches come from a demo list that stands in for one.",
	},
}

var modeParliament2023 = Mode{
	Name:  ModeParliament2023,
	Title: "European Parliament position 2023",
	Source: "LIBE report A9-0364/2023 (14 Nov 2023), mandate confirmed in plenary 22 Nov 2023, " +
		"on COM(2022) 209, procedure 2022/0155(COD)",
	SourceStatus: "secondary sources (EP press release; eucrim.eu 12 Dec 2023; childrens-rights.digital; legal-check.md section 1)",
	Summary: "No voluntary scanning at all. Only a time-limited judicial order, as a last resort, against a named " +
		"user or group under reasonable suspicion. End-to-end encryption and grooming are excluded: in an OMEMO " +
		"chat nothing is scanned, even for a targeted user.",
	Precondition: Precondition{Kind: PreconditionTargeted,
		Text: "detection only under a time-limited judicial order, as a last resort, targeted at individuals or groups " +
			"under reasonable grounds of suspicion; voluntary detection ends (EP press release; childrens-rights.digital key.3879)"},
	Defaults: []SwitchDefault{
		{SwitchText, false, "grooming is excluded from detection orders (LIBE joint statement, childrens-rights.digital key.3879)"},
		{SwitchImages, true, "detection orders cover \"any CSAM\", known and new (legal-check.md section 1)"},
		{SwitchVideo, true, "detection orders cover \"any CSAM\", known and new (legal-check.md section 1)"},
		{SwitchURLs, false, "not named for this text in our sources; switch on to try"},
		{SwitchNew, true, "known and new material (legal-check.md section 1)"},
		{SwitchE2EE, false, "\"MEPs excluded end-to-end encryption from the scope of the detection orders\" (EP press release)"},
		{SwitchConsent, false, "targeted orders are not consented to; the user is a suspect"},
		{SwitchConsentLinks, false, noConsentRule},
		{SwitchConsentSend, false, noConsentRule},
		{SwitchBlockOnMatch, false, noBlockOnMatch},
	},
	Audio:   "not scanned: the simulation has no audio scanner; audio is not named in our sources for this text",
	Consent: ConsentRule{Kind: ConsentNone, Text: "not asked: a targeted judicial order"},
	Reports: ReportRule{
		Recipient:        eucentreRecipient,
		Onward:           eucentreOnward,
		UserInformed:     "as in Art. 12(2) COM(2022) 209 unless amended; Parliament's amendments to it are not in our sources",
		LegalBasis:       "COM(2022) 209 as amended by Parliament's position (A9-0364/2023)",
		ReportArticle:    eucentreBasis + " (as amended)",
		AwarenessChannel: orderAwareness + " (targeted, judicial)",
		Format:           art13Format,
	},
	Notes: []string{
		"Grooming stays in risk assessment and mitigation, outside detection orders.",
		"In an OMEMO client this mode means: end-to-end encrypted messages are never scanned.",
	},
}

var modeBelgium2024 = Mode{
	Name:  ModeBelgium2024,
	Title: "Belgian Presidency compromise 2024 (\"upload moderation\")",
	Source: "Belgian Presidency compromise of 28 May 2024 (first tabled 8 May; leaked; Agence Europe bulletin 13421); " +
		"withdrawn from the 19-20 Jun 2024 agenda for lack of a qualified majority",
	SourceStatus: "leaked text, known from press and leaks (legal-check.md section 1)",
	Summary: "Upload moderation: images and the visual part of videos, and links, scanned at upload, before " +
		"encryption, in encrypted chats too. The user must consent; without consent no images or videos (and, by " +
		"one reading, no links) can be sent, while text still can. New material is reported, pseudonymised, only " +
		"once the same item has been flagged twice.",
	Precondition: Precondition{Kind: PreconditionAssumed, Text: "assumes a detection order in force for this service"},
	Defaults: []SwitchDefault{
		{SwitchText, false, "\"the detection of audio communication and text should be excluded\" (Agence Europe quoting the text)"},
		{SwitchImages, true, "\"detection orders should cover only images and visual components of videos and URLs\" (Agence Europe quoting the text)"},
		{SwitchVideo, true, "\"visual components of videos\" (Agence Europe quoting the text)"},
		{SwitchURLs, true, "\"… and URLs\" (Agence Europe quoting the text)"},
		{SwitchNew, true, "new material, reported after two flags (Agence Europe)"},
		{SwitchE2EE, true, "upload moderation: scanning at upload, before encryption (scanning.md section 1)"},
		{SwitchConsent, true, "the user accepts in the terms or a pop-up (Breyer leak; netzpolitik 2024)"},
		{SwitchConsentLinks, true, "contested: see the point consent-links"},
		{SwitchConsentSend, true, "contested: see the point consent-direction"},
		{SwitchBlockOnMatch, false, noBlockOnMatch},
	},
	Audio: "audio is excluded: \"the detection of audio communication and text should be excluded\" (Agence Europe)",
	Consent: ConsentRule{Kind: ConsentForced,
		Text: "accept scanning before encryption, or lose images, videos and links; text still works"},
	Reports: ReportRule{
		Recipient:        eucentreRecipient,
		Onward:           eucentreOnward + "; reports of new material only after human verification by the EU Centre",
		UserInformed:     "as in Art. 12(2) COM(2022) 209 unless amended; the compromise's wording is not in our sources",
		LegalBasis:       "COM(2022) 209 as in the Belgian Presidency compromise of 28 May 2024",
		ReportArticle:    eucentreBasis + " (as in the compromise)",
		NewMaterialFlags: 2,
		NewMaterialFlagsBasis: "new material is reported once \"flagged in a service twice or once a user has notified the provider\", " +
			"\"in such a manner that the personal data cannot be attributed\", until human verification by the EU Centre (Agence Europe)",
		AwarenessChannel: orderAwareness,
		Format:           art13Format,
	},
	Contested: []ContestedPoint{
		{
			ID:       "consent-links",
			Question: "Without consent, are links blocked too, or only images and videos?",
			Readings: []Reading{
				{Says: "links too: refusers cannot send images, videos or URLs; text still works",
					Sources: "Breyer leak via reclaimthenet / freedomsphoenix 2024-05-28 (scanning.md section 1)",
					Sets:    map[Switch]bool{SwitchConsentLinks: true}},
				{Says: "images and videos only: refusers are \"barred from sharing images and videos\"",
					Sources: "Breyer leak as quoted in legal-check.md; netzpolitik 2024 (\"keine Bilder und Videos hochladen\")",
					Sets:    map[Switch]bool{SwitchConsentLinks: false}},
			},
		},
		{
			ID:       "consent-direction",
			Question: "Does consent gate what the user sends, or what the user receives?",
			Readings: []Reading{
				{Says: "sending: without consent the user cannot upload images and videos",
					Sources: "netzpolitik 2024; Breyer leak (legal-check.md section 1)",
					Sets:    map[Switch]bool{SwitchConsentSend: true}},
				{Says: "receiving: without consent the user \"would not be able to download\" such material; sending is not gated",
					Sources: "Agence Europe bulletin 13421 (legal-check.md section 1)",
					Sets:    map[Switch]bool{SwitchConsentSend: false}},
			},
		},
	},
	Notes: []string{
		"This client simulates the sending side only: under the receiving reading, the gate would apply to the recipient's downloads.",
		"A user's notice, the other trigger for reporting new material, is not simulated.",
	},
}

var modeDenmark2025 = Mode{
	Name:  ModeDenmark2025,
	Title: "Danish Presidency compromise 2025 (ST 11596/25)",
	Source: "Council document 11596/25, Danish Presidency LEWP compromise texts of 24 Jul 2025 (first text 1 Jul 2025); " +
		"the Council vote planned for 14 Oct 2025 did not take place",
	SourceStatus: "the text itself was not available; secondary sources (ProcessOne 22 Sep 2025; scientists' statement " +
		"Sep 2025; Breyer; EDRi; legal-check.md section 1)",
	Summary: "Mandatory detection orders again, with detection \"prior to transmission\" in end-to-end encrypted " +
		"services, i.e. on the client. Scope: images, videos and links, or by another reading also text.",
	Precondition: Precondition{Kind: PreconditionAssumed, Text: "assumes a detection order in force for this service"},
	Defaults: []SwitchDefault{
		{SwitchText, false, "contested: see the point scope-text"},
		{SwitchImages, true, "visual content (scientists' statement, csa-scientist-open-letter.org/Sep2025; cyberinsider.com)"},
		{SwitchVideo, true, "visual content (scientists' statement; cyberinsider.com)"},
		{SwitchURLs, true, "URLs (scientists' statement: \"narrowing scope to images and URLs\")"},
		{SwitchNew, true, "known and new visual material (scanning.md section 1)"},
		{SwitchE2EE, true, "Art. 10(1): detection \"prior to transmission\" in end-to-end encrypted services (ProcessOne, 22 Sep 2025)"},
		{SwitchConsent, true, "contested: see the point consent"},
		{SwitchConsentLinks, true, "as in the Belgian text (unverified for 11596/25)"},
		{SwitchConsentSend, true, "as in the Belgian text's sending reading (unverified for 11596/25)"},
		{SwitchBlockOnMatch, false, noBlockOnMatch},
	},
	Audio:   "audio is excluded (cyberinsider.com; scientists' statement)",
	Consent: ConsentRule{Kind: ConsentForced, Text: "accept scanning before encryption, or lose images, videos and links (carried over from the Belgian text; unverified)"},
	Reports: ReportRule{
		Recipient:        eucentreRecipient,
		Onward:           eucentreOnward,
		UserInformed:     "as in Art. 12(2) COM(2022) 209 unless amended; the compromise's wording is not in our sources",
		LegalBasis:       "COM(2022) 209 as in Council document 11596/25",
		ReportArticle:    eucentreBasis + " (as in the compromise)",
		AwarenessChannel: orderAwareness,
		Format:           art13Format,
	},
	Contested: []ContestedPoint{
		{
			ID:       "scope-text",
			Question: "Is text scanned too, or only visual content and links?",
			Readings: []Reading{
				{Says: "visual content and URLs only; audio and text excluded",
					Sources: "scientists' statement (csa-scientist-open-letter.org/Sep2025); cyberinsider.com",
					Sets:    map[Switch]bool{SwitchText: false}},
				{Says: "text too: \"detect illegal content (images, URLs, text)\"; \"text messages, photos, and videos\"",
					Sources: "ProcessOne (Rémond, 22 Sep 2025); Breyer press release Sep 2025",
					Sets:    map[Switch]bool{SwitchText: true}},
			},
		},
		{
			ID:       "consent",
			Question: "Is the Belgian forced consent carried over?",
			Readings: []Reading{
				{Says: "yes: upload-moderation consent carried over (the Hungarian text kept forced consent; EDRi calls the Danish text a Belgian/Hungarian remix)",
					Sources: "scanning.md sections 1 and 5; netzpolitik ?p=473444; edri.org/?p=62001 (indirect; unverified)",
					Sets:    map[Switch]bool{SwitchConsent: true}},
				{Says: "no consent rule is documented for 11596/25: scanning without asking",
					Sources: "legal-check.md section 1 (\"U: only indirect\")",
					Sets:    map[Switch]bool{SwitchConsent: false}},
			},
		},
	},
	Notes: []string{
		"Annex XIV scores services' risk; end-to-end encryption, anonymity and P2P score worse (ProcessOne; weights unverified).",
		"A reported exemption for state, military and security accounts was found only for an April 2024 draft.",
		"The simulation has no classifier for new images: \"new\" matches come from a demo list that stands in for one.",
	},
}

// modeTable is the immutable table of modes, in display order. Lookup hands
// out deep copies, so no caller can change it.
var modeTable = []Mode{
	modeOff, modeInterim2021, modeInterim2026, modeCommission2022,
	modeParliament2023, modeBelgium2024, modeDenmark2025, modeCouncil2025,
}
