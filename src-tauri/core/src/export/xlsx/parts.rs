//! The workbook's fixed parts, as `rust_xlsxwriter` 0.102 writes them for the same workbook (its
//! sheets, a bold header, the `yyyy-mm-dd` and `yyyy-mm` date formats), so what Excel opens is
//! what that library has been tested with. `tests.rs` compares them part by part.

use std::fmt::Write as _;

use super::sheet;

/// `xl/theme/theme1.xml`: Office's default theme, copied from `rust_xlsxwriter`'s output.
pub(super) const THEME: &str = include_str!("theme1.xml");

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// `_rels/.rels`.
pub(super) const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>",
);

/// `xl/styles.xml`: cell styles 1 bold (the header), 2 `yyyy-mm-dd`, 3 `yyyy-mm`.
pub(super) const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>",
    "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm\"/></numFmts>",
    "<fonts count=\"2\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/>",
    "<family val=\"2\"/><scheme val=\"minor\"/></font><font><b/><sz val=\"11\"/>",
    "<color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font>",
    "</fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill>",
    "<patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/>",
    "<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\">",
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
    "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>",
    "</cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" ",
    "defaultPivotStyle=\"PivotStyleLight16\"/></styleSheet>",
);

/// `[Content_Types].xml` for `sheets` sheets.
pub(super) fn content_types(sheets: usize) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str(concat!(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
        "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
        "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
        "<Override PartName=\"/xl/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>",
        "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
    ));
    for n in 1..=sheets {
        let _ = write!(
            xml,
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        );
    }
    xml.push_str("</Types>");
    xml
}

/// `xl/_rels/workbook.xml.rels` for `sheets` sheets.
pub(super) fn workbook_rels(sheets: usize) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let mut relationship = |n: usize, kind: &str, target: &str| {
        let _ = write!(
            xml,
            "<Relationship Id=\"rId{n}\" Type=\"{RELATIONSHIPS}/{kind}\" Target=\"{target}\"/>"
        );
    };
    for n in 1..=sheets {
        relationship(n, "worksheet", &format!("worksheets/sheet{n}.xml"));
    }
    relationship(sheets + 1, "theme", "theme/theme1.xml");
    relationship(sheets + 2, "styles", "styles.xml");
    xml.push_str("</Relationships>");
    xml
}

/// `xl/workbook.xml`: the sheets by name, in order.
pub(super) fn workbook(names: &[String]) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str(concat!(
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ",
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        "<fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/>",
        "<workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\" ",
        "yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>",
    ));
    for (n, name) in names.iter().enumerate() {
        xml.push_str("<sheet name=\"");
        xml.push_str(&attribute(name));
        let _ = write!(xml, "\" sheetId=\"{0}\" r:id=\"rId{0}\"/>", n + 1);
    }
    xml.push_str("</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
    xml
}

/// `docProps/app.xml`: the sheets' names again.
pub(super) fn app(names: &[String]) -> String {
    let mut xml = String::from(DECLARATION);
    let count = names.len();
    let _ = write!(
        xml,
        concat!(
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" ",
            "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>",
            "<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size=\"2\" baseType=\"variant\">",
            "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4>",
            "</vt:variant></vt:vector></HeadingPairs><TitlesOfParts>",
            "<vt:vector size=\"{count}\" baseType=\"lpstr\">"
        ),
        count = count
    );
    for name in names {
        let mut escaped = Vec::new();
        sheet::escape(&mut escaped, name, false);
        xml.push_str("<vt:lpstr>");
        xml.push_str(&String::from_utf8_lossy(&escaped));
        xml.push_str("</vt:lpstr>");
    }
    xml.push_str(concat!(
        "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>",
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>",
        "<AppVersion>12.0000</AppVersion></Properties>",
    ));
    xml
}

/// `docProps/core.xml`, created and modified at `now`.
pub(super) fn core(now: time::OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    let stamp = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut xml = String::from(DECLARATION);
    let _ = write!(
        xml,
        concat!(
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified></cp:coreProperties>"
        ),
        stamp = stamp
    );
    xml
}

/// Text in an attribute value, escaped as `rust_xlsxwriter` escapes it.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#xA;"),
            other => out.push(other),
        }
    }
    out
}
