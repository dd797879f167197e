//! Definition files in the forms the README promises (attribute codes as text or numbers,
//! favourable points by label), and their errors in plain words: the field, what it expects
//! with an example, and the line, never a Rust type or enum.

use std::path::Path;

use backbone::config::Config;
use backbone::framework::Framework;
use backbone::instrument::Instrument;

const FRAMEWORK: &str = r#"
id = "f"
name = "Programme"
source = "Written for this test"
headline_level = "part"
levels = [{ id = "part", label = "Part", plural = "Parts" }]
nodes = [{ id = "a", level = "part", label = "Loyalty" }]
"#;

/// An instrument whose scale and attribute are written as given.
fn instrument(scale_favourable: &str, options: &str) -> String {
    format!(
        r#"id = "i"
name = "Test"
framework = "f.toml"

[scales.amount]
label = "Amount"
points = [
  {{ value = 1, label = "Too little" }},
  {{ value = 2, label = "About right" }},
  {{ value = 3, label = "Too much" }},
]
favourable = {scale_favourable}

[[attributes]]
id = "gender"
question = "Gender"
options = {options}

[[items]]
id = "q"
indicator = "a"
text = "How much support do you get?"
scale = "amount"
"#
    )
}

fn parse(text: &str) -> backbone::Result<Instrument> {
    Instrument::parse(text, Path::new("test.instrument.toml"), |_| {
        Framework::parse(FRAMEWORK, Path::new("f.toml"))
    })
}

/// Words of Rust's type system that a reader of a definition file must never see.
const RUST_WORDS: [&str; 12] = [
    "i64",
    "u64",
    "usize",
    "f64",
    "enum",
    "struct",
    "untagged",
    "variant",
    "AttributeOption",
    "Property",
    "sequence",
    "a map",
];

fn plain(err: &str) {
    for word in RUST_WORDS {
        assert!(!err.contains(word), "{word:?} in: {err}");
    }
}

#[test]
fn attribute_codes_may_be_text_or_numbers() {
    let text = instrument(
        "[1]",
        r#"[{ code = "0", label = "Male" }, { code = 1, label = "Female" }, { code = "X", label = "Another gender" }, "Prefer not to say"]"#,
    );
    let i = parse(&text).unwrap();
    let gender = &i.attributes[0];
    assert_eq!(gender.option("0"), Some("Male"));
    assert_eq!(gender.option(" 0.0 "), Some("Male"), "the same number");
    assert_eq!(gender.option("1"), Some("Female"));
    assert_eq!(
        gender.option("x"),
        Some("Another gender"),
        "text codes ignore case"
    );
    assert_eq!(gender.option("female"), Some("Female"), "labels still match");
    assert_eq!(gender.option("Prefer not to say"), Some("Prefer not to say"));
    assert_eq!(gender.option("2"), None);
    assert_eq!(gender.option("00X"), None);
}

#[test]
fn favourable_points_may_be_named_by_label() {
    let i = parse(&instrument(r#"["too little", "About right"]"#, r#"["A"]"#)).unwrap();
    assert_eq!(i.scales["amount"].favourable, vec![1, 2]);
    let i = parse(&instrument(r#"[3, "Too little"]"#, r#"["A"]"#)).unwrap();
    assert_eq!(i.scales["amount"].favourable, vec![3, 1]);

    let err = parse(&instrument(r#"["Too litle"]"#, r#"["A"]"#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("test.instrument.toml"), "{err}");
    assert!(
        err.contains(r#"favourable lists "Too litle", which is none of the scale's labels ("Too little", "About right", "Too much")"#),
        "{err}"
    );
    assert!(
        err.contains("line 5"),
        "the scale's table starts on line 5: {err}"
    );
    plain(&err);
}

#[test]
fn a_wrong_value_names_its_field_what_it_expects_and_its_line() {
    // (file text, field, expectation, line)
    let cases = [
        (
            instrument("[1]", r#"[{ code = true, label = "Male" }]"#),
            "field `code` (in [[attributes]])",
            "expects a code in quotes or a whole number (e.g. code = \"0\" or code = 1), not true",
            "line 17,",
        ),
        (
            instrument("[1]", r#"[{ code = "0" }]"#),
            "(in [[attributes]])",
            "missing field `label`",
            "line 17,",
        ),
        (
            instrument("[1]", r#"["A"]"#).replace("value = 1,", "value = \"1\","),
            "field `value` (in [scales.amount])",
            "expects a whole number (e.g. 3), not the text \"1\"",
            "line 8,",
        ),
        (
            instrument("4", r#"["A"]"#),
            "field `favourable` (in [scales.amount])",
            "expects a list in brackets (e.g. [4, 5]), not the number 4",
            "line 12,",
        ),
        (
            instrument("[1]", "[2]"),
            "field `options` (in [[attributes]])",
            "expects an option's label in quotes or a table with its code",
            "line 17,",
        ),
    ];
    for (text, field, expects, line) in cases {
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains(field), "{field} in: {err}");
        assert!(err.contains(expects), "{expects} in: {err}");
        assert!(err.contains(line), "{line} in: {err}");
        plain(&err);
    }
}

#[test]
fn config_and_framework_errors_are_plain_too() {
    let config = "initiative = \"X\"\n\n[report]\nsuppress_below = \"5\"\n\n[[waves]]\nfile = \"a.csv\"\n";
    let err = Config::parse(config, Path::new("backbone.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("backbone.toml"), "{err}");
    assert!(
        err.contains("field `suppress_below` (in [report]) expects a whole number of 0 or more (e.g. 5), not the text \"5\""),
        "{err}"
    );
    assert!(err.contains("line 4"), "{err}");
    plain(&err);

    let config = "initiative = \"X\"\n[rules]\nconfidence = \"high\"\n[[waves]]\nfile = \"a.csv\"\n";
    let err = Config::parse(config, Path::new("backbone.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("field `confidence` (in [rules]) expects a number (e.g. 0.8)"),
        "{err}"
    );
    plain(&err);

    let framework = FRAMEWORK.replace(
        "label = \"Loyalty\" }",
        "label = \"Loyalty\", properties = { likely_holders = 5 } }",
    );
    let err = Framework::parse(&framework, Path::new("f.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("f.toml"), "{err}");
    assert!(err.contains("field `likely_holders`"), "{err}");
    assert!(err.contains("a text in quotes or a list of texts"), "{err}");
    assert!(err.contains("line 7"), "{err}");
    plain(&err);

    let framework = FRAMEWORK.replace(
        "label = \"Loyalty\" }",
        "label = \"Loyalty\", direction = \"up\" }",
    );
    let err = Framework::parse(&framework, Path::new("f.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("field `direction`"), "{err}");
    assert!(err.contains("higher_is_better"), "{err}");
    plain(&err);
}
