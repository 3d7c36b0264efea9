/**
 * Words whose pronunciation depends on the words around them (heteronyms:
 * "close the door" / "a close friend", "I read" / "I will read"): the
 * lower-case entries that misaki's gold lexicons (Apache-2.0; en-us and
 * en-gb) key by part of speech. g2p guesses the part of speech from the
 * neighbouring words, so the segmenter never cuts a clause next to one of
 * these: the phrase on its own would lose the neighbour g2p reads.
 * The four in SENTENCE_CONTEXT are read against the whole sentence (past
 * tense anywhere in it), so a phrase holding one waits for its sentence end.
 */
export const HETERONYMS: ReadonlySet<string> = new Set(
  [
    "absent abstract abstracts abuse abuses addict addicts adulterate advocate advocates affect affects affiliate",
    "affiliates affix affixes agglomerate agglomerates aggregate aggregates allied allies alloy alloyed alloys",
    "ally alternate alternates analyses animate appropriate approximate approximates arithmetic arsenic articulate",
    "aspirate aspirates associate associates attenuate attribute attributes augment augmented augments axes bass",
    "be been bifurcate bombard bombards bow bows brachiate buffet buffets by can carbonate carbonates certificate",
    "certificates cleanly close closer collocate collocates combine combines commune communes compact compacts",
    "complement complements compliment compliments compound compounds compress compresses concert concerts conduct",
    "conducts confederate confederates confine confines conflict conflicts conglomerate conglomerates conjugate",
    "conjugates conjunct conscript conscripts conserve conserves consist consists console consoles consort",
    "consorts construct constructs consummate content contents contest contests contract contracts contrast",
    "contrasts converse converses convert converts convict convicts coordinate coordinates correlate correlates",
    "could counterbalance counterbalances covert crooked cumulate cumulates curate curates decrease decreases",
    "defect defects degenerate degenerates delegate delegates deliberate depute deputes descant descants desert",
    "deserts designate desolate deviate deviates diagnoses dictate dictates diffuse digest digests discard",
    "discards discharge discharges discount discounts discourse discourses document documents dogged domesticate",
    "domesticates doth dove downhill downstairs duplicate duplicates ejaculate ejaculates elaborate enervate",
    "entail entails entrance entrances escort escorts essay essays estimate estimates excise excises excommunicate",
    "excommunicates excuse excuses expatriate expatriates explant explants exploit exploits extract extracts",
    "federate ferment ferments foliate foretoken foretokens fragment fragments frequent geminate get gone got",
    "graduate graduates guesstimate guesstimates had has have her hers his house houses illegitimate illegitimates",
    "imbricate implant implants implement implements implicate implicates import imports impress impresses imprint",
    "imprints incarnate incense incenses incline inclines incorporate increase increases incurvate indent indents",
    "inebriate inebriates infill infills infix infixes initiate initiates inlay inlays insert inserts inside",
    "insult insults intercept intercepts interchange interchanges interdict interdicts intergrade intergrades",
    "interlay interlays interlock interlocks interspace interspaces intimate intimates intrigue intrigues invalid",
    "invalids invert inverts invite invites isolate isolates jagged laminate laminates learned legitimate",
    "legitimates live lives lunged mandate mandates marginate mediate merchandise merchandises minute misconduct",
    "misconducts miscount miscounts misfire misfires mishit mishits mismatch mismatches misplay misplays misprint",
    "misprints misuse misuses moderate moderates moped mouth mouths my nearby nitrate nitrates nominate nucleate",
    "object objects obligate obverse offset offsets opiate opiates orient orients ornament ornaments outcaste",
    "outcastes outgo outgoes outreach outreaches outright overall overbid overbids overburden overburdens overcall",
    "overcalls overcast overcasts overcharge overcharges overdose overdoses overdress overdresses overdub overdubs",
    "overestimate overestimates overflow overflows overhang overhangs overhaul overhauls overhead overlap overlaps",
    "overlay overlays overload overloads overlook overlooks overman overpass overpasses overprint overprints",
    "override overrides overrun overruns overshoot overshoots overspend overspends oversteer oversteers overstock",
    "overstocks overstudies overstudy overthrow overthrows overturn overturns overuse overuses overwater",
    "overweight overweights overwork overworks pasty perfect perfects perforate permit permits pervert perverts",
    "pigment pigments pontificate pontificates postfix postfixes postulate postulates precipitate precipitates",
    "predestinate predicate predicates prefetch prefetches preload preloads premise premises premix premixes",
    "present presents proceeds produce progress progresses project projects prospect prospects prostrate purport",
    "purports pustulate quadrate quadrates quadruplicate quintuplicate radiate ragged rampage rampages read rebel",
    "rebels rebid rebids reboot reboots rebore rebores rebound rebounds recall recalls recharge recharges recoil",
    "recoils record records redial redials redirect redirects redo redraft redrafts refill refills refit refits",
    "refresh refreshes refund refunds refuse regenerate regift regifts regiment regiments regress regresses rehang",
    "rehangs rehash rehashes reheat reheats reincarnate reject rejects relapse relapses relaunch relaunches relay",
    "relays relet relets remake remakes remit remits remold remolds remould remoulds remount remounts renunciate",
    "renunciates replay replays replicate replicates repost reposts reprint reprints reread rereads rerelease",
    "rereleases rerun reruns reshuffle reshuffles resit resits respawn respawns respray resprays restart restarts",
    "restyle restyles retake retakes retard retards retest retests rethink rethinks reticulate retread retreads",
    "reuse reuses revamp revamps revert reverts rewatch rewatches rewind rewinds rewrite rewrites saturate",
    "saturates segment segments segregate segregates separate separates seriate situate sophisticate sophisticates",
    "sow sows subcontract subcontracts subject subjects sublease subleases sublet sublets subordinate subordinates",
    "supplement supplements survey surveys suspect suspects syndicate syndicates tear tears that thee there these",
    "thine this those through torment torments transfer transfers transform transforms transplant transplants",
    "transport transports trifurcate triplicate triplicates truncate ultralight underbid underbids undercharge",
    "undercharges undercount undercounts undercut undercuts underestimate underestimates underground underlay",
    "underlays underline underlines underscore underscores underset undersets undershoot undershoots underspend",
    "underspends undertaking underuse underuses undulate unlearned unpeople unpeoples unstick unsticks update",
    "updates upgrade upgrades uphill uplift uplifts upload uploads upset upsets upsetting uptown upturn upturns",
    "use used uses warehouse warehouses will wind winds would wouldst wound ye yer",
  ]
    .join(" ")
    .split(" "),
);

export const SENTENCE_CONTEXT: ReadonlySet<string> = new Set(["read", "reread", "used", "wound"]);
