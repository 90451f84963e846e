//! The built-in framework loads, validates, and has the shape METHODOLOGY.md describes.

use casework_core::framework::{Basis, builtin};

#[test]
fn builtin_framework_has_both_kinds_and_every_standard() {
    let fw = builtin();
    let pdu = fw.kind("pdu").unwrap();
    let region = fw.kind("region").unwrap();
    assert_eq!(pdu.standards.len(), 7);
    assert_eq!(region.standards.len(), 8);
    assert_eq!(fw.max_points() * 7, 21);
    assert_eq!(fw.max_points() * 8, 24);
    let kq_count = |code: &str| fw.standard(code).unwrap().key_questions.len();
    for code in ["P2.1", "P2.2", "P2.3", "P2.4"] {
        assert_eq!(kq_count(code), 3, "{code}");
    }
    assert_eq!(kq_count("R2.1"), 4);
    assert_eq!(kq_count("R2.2"), 4);
    assert_eq!(kq_count("R2.3"), 1);
    assert_eq!(kq_count("R2.4"), 4);
    assert_eq!(kq_count("R2.5"), 1);
    assert_eq!(kq_count("R2.6"), 3);
    for code in ["P1.1", "P1.2", "P1.3", "R1.1", "R1.2"] {
        assert_eq!(fw.standard(code).unwrap().basis, Basis::Judged);
    }
    // R2.1 pools the four keeping-safe questions, R2.2 the four desistance ones.
    for (code, focus) in [("R2.1", "keeping-safe"), ("R2.2", "desistance")] {
        for kq in &fw.standard(code).unwrap().key_questions {
            assert_eq!(fw.question(kq).unwrap().1.focus.as_deref(), Some(focus));
        }
    }
    assert_eq!(fw.instruments.len(), 5);
}
