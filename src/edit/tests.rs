use std::path::Path;

use super::*;
use crate::model::Status;

fn edit(test: &str, candidate: &str, status: Status) -> ResultEdit {
    ResultEdit {
        test: test.to_owned(),
        candidate: candidate.to_owned(),
        status,
        tester: FieldEdit::Keep,
        note: FieldEdit::Keep,
    }
}

/// Sets the result, checks that doing it again changes nothing, and returns the text.
fn set(text: &str, e: &ResultEdit) -> String {
    let once = set_result(Path::new("1.0.yaml"), text, e).unwrap_or_else(|d| panic!("{d:?}"));
    let twice = set_result(Path::new("1.0.yaml"), &once, e).expect("edits again");
    assert_eq!(twice, once, "a second edit changed the text");
    once
}

fn sent(text: &str, entry: &str) -> String {
    let once = add_sent(Path::new("1.0.yaml"), text, entry).unwrap_or_else(|d| panic!("{d:?}"));
    let twice = add_sent(Path::new("1.0.yaml"), &once, entry).expect("edits again");
    assert_eq!(twice, once, "a second edit changed the text");
    once
}

fn refused(text: &str, e: &ResultEdit) -> String {
    let d = set_result(Path::new("1.0.yaml"), text, e).expect_err("refused");
    format!("{}:{}: {}", d.loc.line, d.loc.column, d.message)
}

const HEAD: &str = "version: 1.0.0 # the release\n";

#[test]
fn a_result_in_a_flow_mapping_is_replaced_in_place() {
    let text = format!(
        "{HEAD}manual_tests:\n  results:\n    loki:\n      rc1: {{ status: failed, tester: ann }}  # retest\n      rc2: {{ status: passed }}\n"
    );
    let mut e = edit("loki", "rc1", Status::Passed);
    assert_eq!(
        set(&text, &e),
        text.replace("status: failed, tester: ann", "status: passed, tester: ann")
    );
    e.tester = FieldEdit::Set("bob".to_owned());
    e.note = FieldEdit::Set("fixed: retested, #2".to_owned());
    assert_eq!(
        set(&text, &e),
        text.replace(
            "status: failed, tester: ann",
            "status: passed, tester: bob, note: \"fixed: retested, #2\""
        )
    );
    e.tester = FieldEdit::Remove;
    e.note = FieldEdit::Keep;
    assert_eq!(
        set(&text, &e),
        text.replace("status: failed, tester: ann", "status: passed")
    );
}

#[test]
fn setting_the_value_already_written_returns_the_text_byte_for_byte() {
    let text = format!(
        "\u{feff}{HEAD}manual_tests:\r\n  results:\r\n    loki:\r\n      rc1: {{status: 'passed', tester: \"ann\"}}\r\n"
    );
    let mut e = edit("loki", "rc1", Status::Passed);
    e.tester = FieldEdit::Set("ann".to_owned());
    e.note = FieldEdit::Remove;
    assert_eq!(set(&text, &e), text);
    assert_eq!(
        sent(&format!("{HEAD}sent: [a, b]\n"), "b"),
        format!("{HEAD}sent: [a, b]\n")
    );
}

#[test]
fn a_block_result_gets_its_fields_in_order_and_loses_cleared_ones_with_their_lines() {
    let text = format!(
        "{HEAD}manual_tests:\n  results:\n    loki:\n      rc1:\n        status: failed\n        # who saw it\n        note: |\n          Lines\n          out of order\n\n      rc2:\n        status: passed\n"
    );
    let mut e = edit("loki", "rc1", Status::Blocked);
    e.tester = FieldEdit::Set("ann".to_owned());
    assert_eq!(
        set(&text, &e),
        text.replace("status: failed\n", "status: blocked\n        tester: ann\n")
    );
    e.note = FieldEdit::Remove;
    assert_eq!(
        set(&text, &e),
        text.replace(
            "status: failed\n        # who saw it\n        note: |\n          Lines\n          out of order\n\n",
            "status: blocked\n        tester: ann\n        # who saw it\n\n"
        )
    );
    // A new candidate is written as the file writes its results: in block style.
    let added = set(&text, &edit("loki", "rc3", Status::NotRun));
    assert_eq!(
        added,
        format!("{text}      rc3:\n        status: not-run\n")
    );
}

#[test]
fn missing_levels_are_created_in_the_files_indentation_and_key_order() {
    let text = "version: 1.0.0\npeople:\n    release_master: ann\nnotes: |\n    Text.\nsent: [deadlines]\n";
    let mut e = edit("loki", "rc1", Status::Passed);
    e.note = FieldEdit::Set("ok".to_owned());
    assert_eq!(
        set(text, &e),
        "version: 1.0.0\npeople:\n    release_master: ann\nmanual_tests:\n    results:\n        loki:\n            rc1: { status: passed, note: ok }\nnotes: |\n    Text.\nsent: [deadlines]\n"
    );
    // Without a line break at the end, and nothing to put it before.
    assert_eq!(
        set("version: 1.0.0", &edit("loki", "rc1", Status::Failed)),
        "version: 1.0.0\nmanual_tests:\n  results:\n    loki:\n      rc1: { status: failed }"
    );
}

#[test]
fn manual_tests_with_only_skip_or_empty_results_gain_results() {
    let skip = format!("{HEAD}manual_tests:\n  skip: [nats] # not this time\nsent: []\n");
    assert_eq!(
        set(&skip, &edit("loki", "rc1", Status::Passed)),
        format!(
            "{HEAD}manual_tests:\n  skip: [nats] # not this time\n  results:\n    loki:\n      rc1: {{ status: passed }}\nsent: []\n"
        )
    );
    let empty = format!("{HEAD}manual_tests:\n  results: {{}}\n");
    assert_eq!(
        set(&empty, &edit("loki", "rc1", Status::Passed)),
        format!("{HEAD}manual_tests:\n  results: {{ loki: {{ rc1: {{ status: passed }} }} }}\n")
    );
    let null = format!("{HEAD}manual_tests:\n  results: ~   # none yet\n");
    assert_eq!(
        set(&null, &edit("loki", "rc1", Status::Passed)),
        format!(
            "{HEAD}manual_tests:\n  results:   # none yet\n    loki:\n      rc1: {{ status: passed }}\n"
        )
    );
    let bare = format!("{HEAD}manual_tests:\nsent: []\n");
    assert_eq!(
        set(&bare, &edit("loki", "rc1", Status::Passed)),
        format!(
            "{HEAD}manual_tests:\n  results:\n    loki:\n      rc1: {{ status: passed }}\nsent: []\n"
        )
    );
}

#[test]
fn flow_mappings_keep_their_separators_and_padding() {
    let text = format!(
        "{HEAD}manual_tests:\n  results:\n    loki: {{rc1: {{status: passed}},\n           rc2: {{status: failed}}}}\n"
    );
    assert_eq!(
        set(&text, &edit("loki", "rc3", Status::Blocked)),
        format!(
            "{HEAD}manual_tests:\n  results:\n    loki: {{rc1: {{status: passed}},\n           rc2: {{status: failed}},\n           rc3: {{status: blocked}}}}\n"
        )
    );
}

#[test]
fn crlf_files_stay_crlf_and_quoted_keys_are_found() {
    let text = format!(
        "{}manual_tests:\r\n  results:\r\n    \"loki\":\r\n      'rc1': {{ status: passed }}\r\n",
        HEAD.replace('\n', "\r\n")
    );
    let mut e = edit("loki", "rc2", Status::Failed);
    e.tester = FieldEdit::Set("true".to_owned());
    assert_eq!(
        set(&text, &e),
        format!("{text}      rc2: {{ status: failed, tester: \"true\" }}\r\n")
    );
}

#[test]
fn quoting_follows_the_value_it_replaces_and_is_added_only_when_needed() {
    let text = format!(
        "{HEAD}manual_tests:\n  results:\n    loki:\n      rc1: {{ status: failed, tester: 'ann', note: \"old\" }}\n"
    );
    let mut e = edit("loki", "rc1", Status::Failed);
    e.tester = FieldEdit::Set("o'hara".to_owned());
    e.note = FieldEdit::Set("new".to_owned());
    assert_eq!(
        set(&text, &e),
        text.replace("'ann', note: \"old\"", "'o''hara', note: \"new\"")
    );
    e.note = FieldEdit::Set("line one\nline \"two\"".to_owned());
    assert_eq!(
        set(&text, &e),
        text.replace(
            "'ann', note: \"old\"",
            "'o''hara', note: \"line one\\nline \\\"two\\\"\""
        )
    );
}

#[test]
fn anchors_aliases_and_merge_keys_are_refused_not_edited_through() {
    let aliased = format!(
        "{HEAD}base: &r {{ rc1: {{ status: passed }} }}\nmanual_tests:\n  results:\n    loki: *r\n"
    );
    assert_eq!(
        refused(&aliased, &edit("loki", "rc1", Status::Failed)),
        "5:5: `manual_tests.results.loki` comes from an alias or a merge key (`<<`), so it cannot be edited in place"
    );
    let anchored = format!(
        "{HEAD}manual_tests:\n  results:\n    loki: &r\n      rc1: {{ status: passed }}\n    nats: *r\n"
    );
    assert_eq!(
        refused(&anchored, &edit("loki", "rc1", Status::Failed)),
        "4:5: `manual_tests.results.loki` has an anchor or a tag, so editing it could change other places"
    );
    let merged = format!(
        "{HEAD}base: &b {{ rc1: {{ status: passed }} }}\nmanual_tests:\n  results:\n    loki:\n      <<: *b\n"
    );
    assert_eq!(
        refused(&merged, &edit("loki", "rc1", Status::Failed)),
        "6:7: `manual_tests.results.loki.rc1` comes from an alias or a merge key (`<<`), so it cannot be edited in place"
    );
    // An anchor elsewhere in the file is no reason to refuse.
    let nearby = format!(
        "{HEAD}people: &p {{ release_master: ann }}\nmanual_tests:\n  results:\n    loki:\n      rc1: {{ status: passed }}\n"
    );
    assert_eq!(
        set(&nearby, &edit("loki", "rc1", Status::Failed)),
        nearby.replace("status: passed", "status: failed")
    );
}

#[test]
fn values_of_the_wrong_kind_are_refused_with_their_place() {
    let text = format!("{HEAD}manual_tests:\n  results: [loki]\n");
    assert_eq!(
        refused(&text, &edit("loki", "rc1", Status::Failed)),
        "3:12: `manual_tests.results` is a list, not a mapping"
    );
}

#[test]
fn sent_grows_in_the_style_it_is_written_in() {
    assert_eq!(
        sent(
            &format!("{HEAD}sent: [deadlines, cherry-pick-rc1] # posted\n"),
            "approvals@2026-11-26"
        ),
        format!("{HEAD}sent: [deadlines, cherry-pick-rc1, approvals@2026-11-26] # posted\n")
    );
    assert_eq!(
        sent(&format!("{HEAD}sent: [ ]\n"), "release"),
        format!("{HEAD}sent: [release]\n")
    );
    assert_eq!(
        sent(
            &format!("{HEAD}sent:\n  - deadlines # first\n\n# end\n"),
            "release"
        ),
        format!("{HEAD}sent:\n  - deadlines # first\n  - release\n\n# end\n")
    );
    assert_eq!(
        sent(&format!("{HEAD}sent:\n# nothing yet\n"), "release"),
        format!("{HEAD}sent: [release]\n# nothing yet\n")
    );
    assert_eq!(
        sent(&format!("{HEAD}notes: |\n  Text.\n"), "release"),
        format!("{HEAD}notes: |\n  Text.\nsent: [release]\n")
    );
    assert_eq!(
        sent("version: 1.0.0\r\nsent:\r\n- a\r\n- b", "c"),
        "version: 1.0.0\r\nsent:\r\n- a\r\n- b\r\n- c"
    );
}

#[test]
fn block_scalars_and_empty_results_are_replaced_whole() {
    let text = format!(
        "{HEAD}manual_tests:\n  results:\n    loki:\n      rc1:\n        status: failed\n        note: >-  # folded\n          out of\n          order\n      # next\n      rc2:\n"
    );
    let mut e = edit("loki", "rc1", Status::Failed);
    // The folded text reads `out of order`: setting it changes nothing.
    e.note = FieldEdit::Set("out of order".to_owned());
    assert_eq!(set(&text, &e), text);
    e.note = FieldEdit::Set("in order".to_owned());
    assert_eq!(
        set(&text, &e),
        text.replace(
            ">-  # folded\n          out of\n          order",
            "in order"
        )
    );
    assert_eq!(
        set(&text, &edit("loki", "rc2", Status::Skipped)),
        format!("{}\n        status: skipped\n", text.trim_end())
    );
}
