//! How many lines wrapped text takes in a column, for row heights: rust_xlsxwriter does not
//! fit row heights, and neither Excel nor LibreOffice fits the rows of a file it opens.
//! Widths are in Excel's column unit (the width of `0` in Calibri 11), estimated per
//! character on the wide side, so that text fits rather than being cut off at the bottom.

/// The height of one line of Calibri 11, in points; Excel's default row height.
pub const LINE_HEIGHT: f64 = 15.0;
/// Excel's tallest row, in points; text that needs more is cut off at the bottom.
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// What a character may take beyond its estimate; the estimates already round up.
const SAFETY: f64 = 1.0;
/// Room a cell keeps free at its sides, in column units (Excel's 5 pixels of padding).
const PADDING: f64 = 0.75;

/// The width of a character in Calibri, in column units (its advance over that of `0`),
/// rounded up.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' | '.' | ',' | ':' | ';' | '!' | ' ' => 0.5,
        'I' | 'J' | 'f' | 'r' | 't' | '(' | ')' | '[' | ']' | '{' | '}' | '-' | '"' | '/'
        | '\\' => 0.7,
        'c' | 's' | 'z' | 'x' | 'v' | 'y' | 'k' => 0.85,
        'm' | 'w' | '@' | '%' => 1.6,
        'M' | 'W' => 1.8,
        'A'..='Z' | '&' | '#' => 1.3,
        c if c.is_ascii() => 1.0,
        // East Asian and other full-width characters, and emoji.
        c if u32::from(c) >= 0x1100 && !(0x2000..0x2E00).contains(&u32::from(c)) => 2.0,
        _ => 1.1,
    }
}

/// The width of `text` on one line, in column units.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(char_width).sum::<f64>() * SAFETY
}

/// The lines `text` wraps to in a column `width` units wide: each line break starts a line,
/// words go on a line while they fit, and a word wider than the column is broken.
pub fn lines(text: &str, width: f64) -> u32 {
    let room = (width - PADDING).max(1.0);
    let space = text_width(" ");
    let mut count = 0;
    for paragraph in text.split('\n') {
        count += 1;
        let mut used = 0.0;
        for word in paragraph.split(' ') {
            let w = text_width(word);
            if used > 0.0 && used + space + w <= room {
                used += space + w;
                continue;
            }
            if used > 0.0 {
                count += 1;
            }
            // A word wider than the column fills whole lines, and the rest starts the next.
            let mut rest = w;
            while rest > room {
                count += 1;
                rest -= room;
            }
            used = rest;
        }
    }
    count
}

/// The height of a row whose tallest cell has `lines` lines, in points.
pub fn row_height(lines: u32) -> f64 {
    (f64::from(lines.max(1)) * LINE_HEIGHT).min(MAX_ROW_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line_and_line_breaks_start_lines() {
        assert_eq!(lines("", 10.0), 1);
        assert_eq!(lines("Call the API.", 40.0), 1);
        assert_eq!(lines("1. Open the console.\n2. Log in.", 40.0), 2);
        assert_eq!(lines("a\n\nb", 40.0), 3);
    }

    #[test]
    fn words_wrap_when_the_line_is_full() {
        // `word` is 4.3 units, 4.8 with a space: 4 fit in 19.25.
        let text = ["word"; 10].join(" ");
        assert_eq!(lines(&text, 20.0), 3);
        assert_eq!(lines(&text, 200.0), 1);
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken() {
        // 100 units of `0`: 3.4 lines of 29.25.
        let number = "0".repeat(100);
        assert_eq!(lines(&number, 30.0), 4);
        assert_eq!(lines(&format!("see {number}"), 30.0), 5);
    }

    #[test]
    fn heights_grow_by_line_and_stop_at_excels_limit() {
        assert_eq!(row_height(0), 15.0);
        assert_eq!(row_height(3), 45.0);
        assert_eq!(row_height(100), 409.0);
    }
}
