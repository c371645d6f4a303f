//! The words templates and partials write into pages (`ui.<key>`), in Chinese or English.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// Words the templates use, as `ui.<key>`.
pub fn template_words(lang: Lang) -> std::collections::BTreeMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("skip", "跳到正文", "Skip to content"),
        ("contents", "目录", "Contents"),
        ("search", "搜索", "Search"),
        ("search_book", "搜索全书", "Search the book"),
        ("search_results", "搜索结果", "Search results"),
        ("close", "关闭", "Close"),
        ("dark", "深色", "Dark"),
        ("book_toc", "全书目录", "Table of contents"),
        ("chapters_nav", "章节导航", "Chapters"),
        ("see_toc", "查看全书目录", "See the table of contents"),
        ("on_this_page", "本页内容", "On this page"),
        ("mark_read", "标记为已读", "Mark as read"),
        ("edit_page", "编辑本页", "Edit this page"),
        ("prev_next", "上一章和下一章", "Previous and next chapter"),
        ("previous", "上一章", "Previous"),
        ("next", "下一章", "Next"),
        ("cases_here", "本章案例", "Case studies in this chapter"),
        ("your_progress", "你的进度", "Your progress"),
        (
            "progress_note",
            "进度和答案只保存在你自己的浏览器里，不会发送到任何地方。可以导出备份，换设备时再导入。",
            "Your progress and answers stay in this browser and are never sent anywhere. Export them to keep a copy or move to another device.",
        ),
        ("your_data", "你的数据", "Your data"),
        (
            "export_book_md",
            "导出全部答案（Markdown）",
            "Export all answers (Markdown)",
        ),
        (
            "export_book_json",
            "导出备份（JSON）",
            "Export a backup (JSON)",
        ),
        ("import_book_json", "导入备份", "Import a backup"),
        ("reset_progress", "重置阅读进度", "Reset reading progress"),
        ("worksheets", "工作表", "Worksheets"),
        ("checklists", "清单", "Checklists"),
        ("used_in", "用于：", "Used in: "),
        ("case_library", "全部案例", "All case studies"),
        ("not_found_title", "没有找到这一页", "Page not found"),
        (
            "not_found_text",
            "这个地址没有对应的页面。可以搜索全书，或回到首页从目录找起。",
            "There is no page at this address. Search the book, or start again from the contents.",
        ),
        ("back_home", "回到首页", "Back to the start"),
        ("heading_anchor", "本节链接", "Link to this section"),
        ("case_situation", "情境", "Situation"),
        ("case_actions", "做法", "What they did"),
        ("case_outcome", "结果", "Outcome"),
        ("case_lesson", "启示", "Lesson"),
        ("cited_in", "见于", "Cited in"),
        ("required", "必填", "required"),
        ("add_row", "添加一行", "Add a row"),
        ("remove_row", "删除此行", "Remove this row"),
        ("row_actions", "操作", "Actions"),
        ("choose", "请选择", "Choose"),
        ("alert_note", "注意", "Note"),
        ("alert_tip", "提示", "Tip"),
        ("alert_important", "重要", "Important"),
        ("alert_warning", "警告", "Warning"),
        ("alert_caution", "当心", "Caution"),
        ("case_index", "案例索引", "Index of case studies"),
        ("case_filter", "筛选案例", "Filter the case studies"),
        ("case_filter_setback", "挫折类型", "Setback"),
        ("case_filter_industry", "行业", "Industry"),
        ("case_filter_result", "结果", "Result"),
        ("case_filter_all", "全部", "All"),
        ("case_filter_reset", "显示全部", "Show all"),
        (
            "case_filter_count",
            "显示 {shown} / {total} 个案例",
            "Showing {shown} of {total} case studies",
        ),
        (
            "open_worksheet",
            "单独打开这张工作表",
            "Open this worksheet on its own page",
        ),
    ];
    pairs
        .iter()
        .map(|(key, zh, en)| (*key, if lang == Lang::Zh { *zh } else { *en }))
        .collect()
}
