//! The JSON Schema next to `herald check`: the time zones it lists are the ones the loader
//! accepts, spelled as the zone database spells them; another spelling passes `check` with a
//! warning. (scripts/validate-schemas.py runs a JSON Schema validator over the committed
//! schemas: impossible dates and unknown zones rejected, every plan `check` accepts valid.)

use herald::schema::{FileKind, schema};

use crate::harness::Project;

#[test]
fn time_zones_are_the_names_the_loader_accepts() {
    let release = schema(FileKind::Release);
    let zones: Vec<&str> = release["properties"]["timezone"]["enum"]
        .as_array()
        .expect("an enum of zones")
        .iter()
        .map(|z| z.as_str().unwrap())
        .collect();
    assert!(zones.len() > 500, "{} zones", zones.len());
    for name in ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"] {
        assert!(zones.contains(&name), "{name}");
    }
    assert!(!zones.contains(&"Europe/Berln"));
    for name in &zones {
        let tz = jiff::tz::TimeZone::get(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            tz.iana_name(),
            Some(*name),
            "listed as the database spells it"
        );
    }
}

#[test]
fn a_zone_in_another_case_is_read_with_a_warning_naming_its_spelling() {
    let project = Project::new();
    project.edit(
        "releases/1.14.yaml",
        "timezone: Europe/Berlin",
        "timezone: europe/BERLIN",
    );
    let out = project.herald(&["check", "releases"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "releases/1.14.yaml:5:11: warning: time zone `europe/BERLIN` is spelled `Europe/Berlin`"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("help: write `Europe/Berlin`, as calendars and editors expect"),
        "{stdout}"
    );
    // The feed names the zone as the database does.
    project.build();
    let feed = project.read_out("releases/1.14.0/1.14.0.ics");
    assert!(feed.contains("\r\nTZID:Europe/Berlin\r\n"));
    assert!(feed.contains("\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"));
}
