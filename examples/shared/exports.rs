//! The fictional initiative of the sample exports and the writers of each platform's export
//! shape, shared by `generate-samples` (the bundled sample) and `bench-exports` (large seeded
//! exports for the benchmark).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use backbone::instrument::{Instrument, Item};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// True mean of each function (or governance outcome) per wave, on the 1-5 scale.
pub fn story(top: &str, wave: usize) -> f64 {
    // The bundled sample has three waves; the large benchmark exports (bench-exports) five.
    let by_wave: [f64; 5] = match top {
        "guide-vision" => [3.70, 3.75, 3.72, 3.74, 3.78],
        "aligned-activities" => [3.60, 3.62, 3.66, 3.70, 3.71],
        "shared-measurement" => [2.95, 3.30, 3.65, 3.80, 3.85],
        "community-engagement" => [3.30, 3.28, 3.25, 3.27, 3.30],
        "advance-policy" => [3.55, 3.25, 2.95, 3.00, 3.10],
        "mobilize-funding" => [3.20, 3.18, 3.22, 3.20, 3.24],
        _ => [3.85, 3.85, 3.88, 3.86, 3.90], // governance outcomes
    };
    by_wave[wave]
}

/// How much each function weighs in a partner's overall rating of the backbone (the key
/// drivers the reports should find: vision and strategy first, then policy advocacy, which
/// declines, and shared measurement, which improves).
pub fn overall_weight(top: &str) -> f64 {
    match top {
        "guide-vision" => 0.35,
        "advance-policy" => 0.30,
        "shared-measurement" => 0.15,
        "aligned-activities" => 0.10,
        "community-engagement" => 0.05,
        "mobilize-funding" => 0.05,
        _ => 0.0,
    }
}

pub const FIRST: [&str; 12] = [
    "Maria", "James", "Aisha", "Tom", "Lena", "Carlos", "Grace", "Wei", "Fatima", "Noah", "Priya", "Sam",
];
pub const LAST: [&str; 12] = [
    "Okafor",
    "Lindqvist",
    "Hernandez",
    "Nguyen",
    "Baker",
    "Haddad",
    "Kowalski",
    "Mensah",
    "Ortiz",
    "Reyes",
    "Schmidt",
    "Walker",
];
pub const COMMENTS: [&str; 6] = [
    "The data dashboard finally helps our team, thank you.",
    "Hard to see what the policy group is doing this year.",
    "Meetings are well run but we need more notice.",
    "",
    "More support for small organizations, please",
    "Très bien organisé, merci à l'équipe.",
];
pub const UNKNOWN_LABELS: [&str; 3] = ["Somewhat agree", "Agree strongly", "N.A"];
pub const COMMENT_QUESTION: &str = "Any other comments about the backbone's support?";

/// One respondent's row, before it is written in a platform's shape.
#[derive(Clone)]
pub struct Response {
    pub id: String,
    /// (year, month, day, hour, minute) the survey was started; it took `minutes`.
    pub start: (u16, u8, u8, u8, u8),
    pub minutes: u8,
    pub first: &'static str,
    pub last: &'static str,
    /// The partner's place in the roster, which keeps emails unique.
    pub number: usize,
    pub ip: String,
    pub role: String,
    pub sector: String,
    /// One cell per instrument item: a scale label, the N/A label, an unknown label or blank.
    pub answers: Vec<String>,
    pub comment: &'static str,
    /// One answer per open question of the instrument (`[[comments]]`), in its order.
    pub open: Vec<String>,
    /// Stopped part-way (Qualtrics marks it unfinished).
    pub finished: bool,
}

impl Response {
    pub fn email(&self) -> String {
        format!(
            "{}.{}.{}@riverbend-partners.example.org",
            self.first.to_lowercase(),
            self.last.to_lowercase(),
            self.number
        )
    }

    pub fn end(&self) -> (u16, u8, u8, u8, u8) {
        let (y, mo, d, h, mi) = self.start;
        let total = mi as u16 + self.minutes as u16;
        (y, mo, d, h + (total / 60) as u8, (total % 60) as u8)
    }
}

pub fn normal(rng: &mut fastrand::Rng) -> f64 {
    // Box-Muller; 1 - f64() keeps the logarithm finite.
    let (u, v) = (1.0 - rng.f64(), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

pub fn weighted<'a>(rng: &mut fastrand::Rng, options: &'a [String], weights: &[u32]) -> &'a str {
    let total: u32 = weights.iter().sum();
    let mut pick = rng.u32(0..total);
    for (option, w) in options.iter().zip(weights) {
        if pick < *w {
            return option;
        }
        pick -= w;
    }
    &options[0]
}

/// A partner organisation's respondent, who may answer in several waves: same name, email,
/// role and sector, and the same general disposition towards the backbone.
#[derive(Clone)]
pub struct Partner {
    pub first: &'static str,
    pub last: &'static str,
    pub number: usize,
    pub role: String,
    pub sector: String,
    pub disposition: f64,
}

/// Everyone the initiative could survey; each wave samples from it, so many partners answer
/// in more than one year (what the panel comparison links).
pub const ROSTER: usize = 240;

/// How often a cell is left blank and answered "not applicable".
#[derive(Clone, Copy)]
pub enum Rates {
    /// The bundled sample's story: 3% blank; N/A by function and role.
    Story,
    /// Fixed shares (the benchmark exports).
    Fixed { blank: f64, na: f64 },
}

pub struct Generator<'a> {
    pub instrument: &'a Instrument,
    pub offsets: HashMap<String, f64>,
    pub rng: fastrand::Rng,
    pub roster: Vec<Partner>,
    pub rates: Rates,
}

impl Generator<'_> {
    pub fn roster(instrument: &Instrument, rng: &mut fastrand::Rng, size: usize) -> Vec<Partner> {
        let labels = |a: usize| -> Vec<String> {
            instrument.attributes[a]
                .options
                .iter()
                .map(|o| o.label().to_string())
                .collect()
        };
        let (roles, sectors) = (&labels(0), &labels(1));
        (0..size)
            .map(|number| {
                let role = weighted(rng, roles, &[12, 30, 40, 8, 10]).to_string();
                let role_effect = match role.as_str() {
                    "Backbone staff" => 0.35,
                    "Steering committee member" => 0.15,
                    "Community partner" => -0.2,
                    _ => 0.0,
                };
                Partner {
                    first: FIRST[rng.usize(0..FIRST.len())],
                    last: LAST[rng.usize(0..LAST.len())],
                    number,
                    role,
                    sector: sectors[rng.usize(0..sectors.len())].clone(),
                    disposition: 0.45 * normal(rng) + role_effect,
                }
            })
            .collect()
    }

    /// The answers of one partner in one wave.
    pub fn respondent(
        &mut self,
        partner: &Partner,
        wave: usize,
        year: u16,
        months: (u8, u8),
        r: usize,
    ) -> Response {
        let rng = &mut self.rng;
        let start = (
            year,
            rng.u8(months.0..=months.1),
            rng.u8(1..=28),
            rng.u8(8..18),
            rng.u8(0..60),
        );
        let mut response = Response {
            id: format!("{}{:06}", 11 + wave, 100_000 + r * 37),
            start,
            minutes: rng.u8(6..25),
            first: partner.first,
            last: partner.last,
            number: partner.number,
            ip: format!("203.0.113.{}", rng.u8(1..255)),
            role: partner.role.clone(),
            sector: partner.sector.clone(),
            answers: Vec::new(),
            comment: COMMENTS[rng.usize(0..COMMENTS.len())],
            open: vec![String::new(); self.instrument.comments.len()],
            finished: true,
        };
        // How this partner sees each function this year: answers within a function hang
        // together, as they do in real surveys.
        let views: HashMap<String, f64> = self
            .instrument
            .framework
            .nodes
            .iter()
            .filter(|n| n.parent.is_none())
            .map(|n| (n.id.clone(), 0.45 * normal(&mut self.rng)))
            .collect();
        let distant = partner.role == "Community partner";
        let instrument = self.instrument;
        response.answers = instrument
            .items
            .iter()
            .map(|item| {
                if item.overall {
                    return self.overall_answer(item, wave, partner, &views, r);
                }
                let view = self
                    .instrument
                    .nodes_of(item)
                    .last()
                    .map_or(0.0, |n| views[&n.id]);
                self.answer(item, wave, partner.disposition + view, distant)
            })
            .collect();
        response
    }

    /// The overall rating: the partner's disposition and their views of the functions, each
    /// weighed by [`overall_weight`], plus noise. Drawn from its own generator (seeded by wave
    /// and respondent), so that adding the overall question left every other answer as it was.
    fn overall_answer(
        &self,
        item: &Item,
        wave: usize,
        partner: &Partner,
        views: &HashMap<String, f64>,
        r: usize,
    ) -> String {
        let mut rng = fastrand::Rng::with_seed(
            0x6f76_6572_616c_6c00 ^ ((wave as u64) << 40) ^ ((r as u64) << 16) ^ partner.number as u64,
        );
        let scale = self.instrument.scale_of(item);
        if rng.f64() < 0.03 {
            return String::new();
        }
        if rng.f64() < 0.03 {
            return scale.missing[0].clone();
        }
        let tops = self
            .instrument
            .framework
            .nodes
            .iter()
            .filter(|n| n.parent.is_none());
        let drivers: f64 = tops
            .map(|n| overall_weight(&n.id) * (story(&n.id, wave) + 1.6 * views[&n.id]))
            .sum();
        let latent = drivers + partner.disposition + 0.5 * normal(&mut rng);
        let value = latent.round().clamp(scale.min() as f64, scale.max() as f64) as i64;
        scale
            .points
            .iter()
            .find(|p| p.value == value)
            .map(|p| p.label.clone())
            .unwrap_or_default()
    }

    /// `n` partners drawn from the roster without replacement.
    pub fn sample(&mut self, n: usize) -> Vec<Partner> {
        let mut order: Vec<usize> = (0..self.roster.len()).collect();
        self.rng.shuffle(&mut order);
        order.truncate(n);
        order.sort_unstable();
        order.into_iter().map(|i| self.roster[i].clone()).collect()
    }

    pub fn answer(&mut self, item: &Item, wave: usize, disposition: f64, distant: bool) -> String {
        let scale = self.instrument.scale_of(item);
        let top = self
            .instrument
            .nodes_of(item)
            .last()
            .map_or("", |n| n.id.as_str());
        let rng = &mut self.rng;
        let (blank, na_rate) = match self.rates {
            Rates::Fixed { blank, na } => (blank, na),
            Rates::Story => (
                0.03,
                match top {
                    "advance-policy" | "mobilize-funding" => 0.14,
                    _ if top.starts_with("governance") && distant => 0.18,
                    _ => 0.04,
                },
            ),
        };
        if rng.f64() < blank {
            return String::new(); // skipped the question
        }
        if rng.f64() < na_rate {
            return scale.missing[0].clone();
        }
        let latent = story(top, wave) + self.offsets[&item.id] + disposition + 0.6 * normal(rng);
        let value = latent.round().clamp(scale.min() as f64, scale.max() as f64) as i64;
        let raw = scale.oriented(value, item.reverse);
        scale
            .points
            .iter()
            .find(|p| p.value == raw)
            .map(|p| p.label.clone())
            .unwrap_or_default()
    }

    /// A wave's respondents plus the unusable rows every real export has: empty rows, a
    /// respondent who stopped early, a resubmission, and answers typed in labels the scale does
    /// not have.
    pub fn wave(&mut self, wave: usize, year: u16, months: (u8, u8), n: usize) -> Vec<Response> {
        let partners = self.sample(n);
        let mut rows: Vec<Response> = partners
            .iter()
            .enumerate()
            .map(|(r, p)| self.respondent(p, wave, year, months, r))
            .collect();
        let mut empty = rows[0].clone();
        empty.answers.iter_mut().for_each(String::clear);
        empty.comment = "";
        empty.finished = false;
        empty.id = format!("{}999990", 11 + wave);
        rows.insert(rows.len() / 3, empty.clone());
        if wave != 1 {
            empty.id = format!("{}999991", 11 + wave);
            rows.push(empty);
        }
        let mut partial = rows[5].clone();
        partial.id = format!("{}999992", 11 + wave);
        partial.finished = false;
        partial.answers.iter_mut().skip(8).for_each(String::clear);
        rows.insert(rows.len() / 2, partial);
        // A resubmission: the same respondent id again, later in the file, one answer changed.
        let mut again = rows[10].clone();
        again.answers[0] = self.instrument.scales["agree5"].points[3].label.clone();
        again.start.2 = (again.start.2 + 1).min(28);
        rows.push(again);
        // Unknown labels only in the statements (the overall item comes after them).
        let width = self.instrument.items.iter().filter(|i| !i.overall).count();
        for _ in 0..(3 + wave) {
            let r = self.rng.usize(0..rows.len());
            let c = self.rng.usize(0..width);
            if !rows[r].answers[c].is_empty() {
                rows[r].answers[c] = UNKNOWN_LABELS[self.rng.usize(0..UNKNOWN_LABELS.len())].to_string();
            }
        }
        rows
    }
}

/// The overall items, each asked as a question of its own after the matrices.
pub fn singles(instrument: &Instrument) -> Vec<usize> {
    (0..instrument.items.len())
        .filter(|&i| instrument.items[i].overall)
        .collect()
}

/// The items grouped as the survey pages show them: one matrix per function or governance.
pub fn matrices(instrument: &Instrument) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, item) in instrument.items.iter().enumerate() {
        if item.overall {
            continue;
        }
        let top = instrument
            .nodes_of(item)
            .last()
            .map(|n| (*n).clone())
            .expect("items have nodes");
        let title = if top.level == "function" {
            format!(
                "How much do you agree with each statement about the past 12 months? ({})",
                top.label
            )
        } else {
            "How much do you agree with each statement about the initiative's leadership and backbone staff?"
                .to_string()
        };
        match groups.last_mut() {
            Some((t, members)) if *t == title => members.push(i),
            _ => groups.push((title, vec![i])),
        }
    }
    groups
}

/// The items in the order the survey asks them: the matrices, then the single questions.
pub fn asked_order(instrument: &Instrument) -> Vec<usize> {
    let matrices = matrices(instrument).into_iter().flat_map(|(_, m)| m);
    matrices.chain(singles(instrument)).collect()
}

pub type Table = Vec<Vec<String>>;

pub fn write_csv(rows: &[Vec<String>], crlf: bool) -> Result<String, Box<dyn std::error::Error>> {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    for row in rows {
        out.write_record(row)?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

/// The plain table every platform export must score the same as: one header row of question
/// texts, the respondent id (when the platform has one), and the answers; rows the platform
/// marks as not responses are left out.
pub fn plain(instrument: &Instrument, rows: &[Response], with_id: bool) -> Table {
    let mut header = vec!["Respondent ID".to_string()];
    header.extend(instrument.attributes.iter().map(|a| a.question.clone()));
    header.extend(instrument.items.iter().map(|i| i.text.clone()));
    let mut table = vec![header];
    for r in rows {
        let mut row = vec![r.id.clone(), r.role.clone(), r.sector.clone()];
        row.extend(r.answers.iter().cloned());
        table.push(row);
    }
    if !with_id {
        table.iter_mut().for_each(|row| {
            row.remove(0);
        });
    }
    table
}

pub fn us_time((y, mo, d, h, mi): (u16, u8, u8, u8, u8)) -> String {
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{mo:02}/{d:02}/{y} {h12:02}:{mi:02}:00 {ampm}")
}

pub fn surveymonkey(instrument: &Instrument, rows: &[Response]) -> Table {
    let meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ];
    let mut top: Vec<String> = meta.iter().map(|m| m.to_string()).collect();
    let mut sub: Vec<String> = vec![String::new(); meta.len()];
    for a in &instrument.attributes {
        top.push(a.question.clone());
        sub.push("Response".into());
    }
    for (title, members) in matrices(instrument) {
        for (k, &i) in members.iter().enumerate() {
            top.push(if k == 0 { title.clone() } else { String::new() });
            sub.push(instrument.items[i].text.clone());
        }
    }
    for &i in &singles(instrument) {
        top.push(instrument.items[i].text.clone());
        sub.push("Response".into());
    }
    top.push(COMMENT_QUESTION.into());
    sub.push("Open-Ended Response".into());
    for q in &instrument.comments {
        top.push(q.question.clone());
        sub.push("Open-Ended Response".into());
    }
    let order = asked_order(instrument);
    let mut table = vec![top, sub];
    for r in rows {
        let mut row = vec![
            r.id.clone(),
            "427719904".into(),
            us_time(r.start),
            us_time(r.end()),
            r.ip.clone(),
            r.email(),
            r.first.into(),
            r.last.into(),
            String::new(),
            r.role.clone(),
            r.sector.clone(),
        ];
        row.extend(order.iter().map(|&i| r.answers[i].clone()));
        row.push(r.comment.into());
        row.extend(r.open.iter().cloned());
        table.push(row);
    }
    table
}

pub fn google_forms(instrument: &Instrument, rows: &[Response]) -> Table {
    let mut header = vec!["Timestamp".to_string(), "Email Address".to_string()];
    header.extend(instrument.attributes.iter().map(|a| a.question.clone()));
    let order = asked_order(instrument);
    for (title, members) in matrices(instrument) {
        header.extend(
            members
                .iter()
                .map(|&i| format!("{title} [{}]", instrument.items[i].text)),
        );
    }
    header.extend(
        singles(instrument)
            .iter()
            .map(|&i| instrument.items[i].text.clone()),
    );
    header.push(COMMENT_QUESTION.into());
    header.extend(instrument.comments.iter().map(|q| q.question.clone()));
    let mut table = vec![header];
    for r in rows {
        let (y, mo, d, h, mi) = r.end();
        let mut row = vec![
            format!("{mo}/{d}/{y} {h}:{mi:02}:{:02}", r.minutes),
            r.email(),
            r.role.clone(),
            r.sector.clone(),
        ];
        row.extend(order.iter().map(|&i| r.answers[i].clone()));
        row.push(r.comment.into());
        row.extend(r.open.iter().cloned());
        table.push(row);
    }
    table
}

pub fn qualtrics(instrument: &Instrument, rows: &[Response], previews: &[Response]) -> Table {
    let meta = [
        (
            "StartDate",
            "Start Date",
            "{\"ImportId\":\"startDate\",\"timeZone\":\"America/Chicago\"}",
        ),
        (
            "EndDate",
            "End Date",
            "{\"ImportId\":\"endDate\",\"timeZone\":\"America/Chicago\"}",
        ),
        ("Status", "Response Type", "{\"ImportId\":\"status\"}"),
        ("IPAddress", "IP Address", "{\"ImportId\":\"ipAddress\"}"),
        ("Progress", "Progress", "{\"ImportId\":\"progress\"}"),
        (
            "Duration (in seconds)",
            "Duration (in seconds)",
            "{\"ImportId\":\"duration\"}",
        ),
        ("Finished", "Finished", "{\"ImportId\":\"finished\"}"),
        (
            "RecordedDate",
            "Recorded Date",
            "{\"ImportId\":\"recordedDate\",\"timeZone\":\"America/Chicago\"}",
        ),
        ("ResponseId", "Response ID", "{\"ImportId\":\"_recordId\"}"),
        (
            "RecipientLastName",
            "Recipient Last Name",
            "{\"ImportId\":\"recipientLastName\"}",
        ),
        (
            "RecipientFirstName",
            "Recipient First Name",
            "{\"ImportId\":\"recipientFirstName\"}",
        ),
        (
            "RecipientEmail",
            "Recipient Email",
            "{\"ImportId\":\"recipientEmail\"}",
        ),
        (
            "ExternalReference",
            "External Data Reference",
            "{\"ImportId\":\"externalDataReference\"}",
        ),
        (
            "LocationLatitude",
            "Location Latitude",
            "{\"ImportId\":\"locationLatitude\"}",
        ),
        (
            "LocationLongitude",
            "Location Longitude",
            "{\"ImportId\":\"locationLongitude\"}",
        ),
        (
            "DistributionChannel",
            "Distribution Channel",
            "{\"ImportId\":\"distributionChannel\"}",
        ),
        ("UserLanguage", "User Language", "{\"ImportId\":\"userLanguage\"}"),
    ];
    let mut ids: Vec<String> = meta.iter().map(|m| m.0.to_string()).collect();
    let mut labels: Vec<String> = meta.iter().map(|m| m.1.to_string()).collect();
    let mut imports: Vec<String> = meta.iter().map(|m| m.2.to_string()).collect();
    for (q, a) in instrument.attributes.iter().enumerate() {
        ids.push(format!("Q{}", q + 1));
        labels.push(a.question.clone());
        imports.push(format!("{{\"ImportId\":\"QID{}\"}}", q + 1));
    }
    let first_matrix = instrument.attributes.len() + 1;
    for (m, (title, members)) in matrices(instrument).into_iter().enumerate() {
        for (k, &i) in members.iter().enumerate() {
            ids.push(format!("Q{}_{}", first_matrix + m, k + 1));
            labels.push(format!("{title} - {}", instrument.items[i].text));
            imports.push(format!("{{\"ImportId\":\"QID{}_{}\"}}", first_matrix + m, k + 1));
        }
    }
    let mut comment_q = first_matrix + matrices(instrument).len();
    for &i in &singles(instrument) {
        ids.push(format!("Q{comment_q}"));
        labels.push(instrument.items[i].text.clone());
        imports.push(format!("{{\"ImportId\":\"QID{comment_q}\"}}"));
        comment_q += 1;
    }
    ids.push(format!("Q{comment_q}"));
    labels.push(COMMENT_QUESTION.into());
    imports.push(format!("{{\"ImportId\":\"QID{comment_q}_TEXT\"}}"));
    for (k, q) in instrument.comments.iter().enumerate() {
        let n = comment_q + 1 + k;
        ids.push(format!("Q{n}"));
        labels.push(q.question.clone());
        imports.push(format!("{{\"ImportId\":\"QID{n}_TEXT\"}}"));
    }
    let order = asked_order(instrument);
    let iso = |(y, mo, d, h, mi): (u16, u8, u8, u8, u8)| format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:00");
    let mut table = vec![ids, labels, imports];
    let rows = rows
        .iter()
        .map(|r| (r, "IP Address"))
        .chain(previews.iter().map(|r| (r, "Survey Preview")));
    for (r, status) in rows {
        let answered = r.answers.iter().filter(|a| !a.is_empty()).count();
        let progress = if r.finished {
            100
        } else {
            100 * answered / r.answers.len()
        };
        let mut row = vec![
            iso(r.start),
            iso(r.end()),
            status.into(),
            r.ip.clone(),
            progress.to_string(),
            (r.minutes as usize * 60 + 17).to_string(),
            if r.finished { "True" } else { "False" }.into(),
            iso(r.end()),
            r.id.clone(),
            r.last.into(),
            r.first.into(),
            r.email(),
            format!("partner-{}", &r.id[2..]),
            "41.8781".into(),
            "-87.6298".into(),
            "email".into(),
            "EN".into(),
            r.role.clone(),
            r.sector.clone(),
        ];
        row.extend(order.iter().map(|&i| r.answers[i].clone()));
        row.push(r.comment.into());
        row.extend(r.open.iter().cloned());
        table.push(row);
    }
    table
}

pub fn microsoft_forms(
    instrument: &Instrument,
    rows: &[Response],
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut workbook = Workbook::new();
    // Fixed document dates, so the workbook is the same on every run.
    let created = ExcelDateTime::from_ymd(2025, 10, 31)?.and_hms(12, 0, 0)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = workbook.add_worksheet();
    sheet.set_name("Form1")?;
    let date = Format::new().set_num_format("m/d/yy h:mm:ss");
    let mut header: Vec<String> = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
    ]
    .map(String::from)
    .to_vec();
    header.extend(instrument.attributes.iter().map(|a| a.question.clone()));
    header.extend(instrument.items.iter().map(|i| i.text.clone()));
    header.push(COMMENT_QUESTION.into());
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h)?;
    }
    let stamp = |(y, mo, d, h, mi): (u16, u8, u8, u8, u8)| {
        ExcelDateTime::from_ymd(y, mo, d)?.and_hms(h as u16, mi, 0)
    };
    for (n, r) in rows.iter().enumerate() {
        let row = n as u32 + 1;
        sheet.write_number(row, 0, (n + 1) as f64)?;
        sheet.write_datetime_with_format(row, 1, &stamp(r.start)?, &date)?;
        sheet.write_datetime_with_format(row, 2, &stamp(r.end())?, &date)?;
        sheet.write_string(row, 3, "anonymous")?;
        sheet.write_string(row, 4, "")?;
        sheet.write_string(row, 5, "")?;
        sheet.write_string(row, 6, &r.role)?;
        sheet.write_string(row, 7, &r.sector)?;
        for (k, answer) in r.answers.iter().enumerate() {
            if !answer.is_empty() {
                sheet.write_string(row, 8 + k as u16, answer)?;
            }
        }
        sheet.write_string(row, 8 + r.answers.len() as u16, r.comment)?;
    }
    workbook.save(path)?;
    Ok(())
}
