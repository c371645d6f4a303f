//! The few words the generator itself writes into pages, in Chinese or English.

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

pub struct Words {
    pub heading_anchor: &'static str,
    pub situation: &'static str,
    pub actions: &'static str,
    pub outcome: &'static str,
    pub lesson: &'static str,
    pub required: &'static str,
    pub add_row: &'static str,
    pub remove_row: &'static str,
    pub row_actions: &'static str,
    pub choose: &'static str,
    pub alert_note: &'static str,
    pub alert_tip: &'static str,
    pub alert_important: &'static str,
    pub alert_warning: &'static str,
    pub alert_caution: &'static str,
    pub open_worksheet: &'static str,
    pub cited_in: &'static str,
}

const ZH: Words = Words {
    heading_anchor: "本节链接",
    situation: "情境",
    actions: "做法",
    outcome: "结果",
    lesson: "启示",
    required: "必填",
    add_row: "添加一行",
    remove_row: "删除此行",
    row_actions: "操作",
    choose: "请选择",
    alert_note: "注意",
    alert_tip: "提示",
    alert_important: "重要",
    alert_warning: "警告",
    alert_caution: "当心",
    open_worksheet: "单独打开这张工作表",
    cited_in: "见于",
};

const EN: Words = Words {
    heading_anchor: "Link to this section",
    situation: "Situation",
    actions: "What they did",
    outcome: "Outcome",
    lesson: "Lesson",
    required: "required",
    add_row: "Add a row",
    remove_row: "Remove this row",
    row_actions: "Actions",
    choose: "Choose",
    alert_note: "Note",
    alert_tip: "Tip",
    alert_important: "Important",
    alert_warning: "Warning",
    alert_caution: "Caution",
    open_worksheet: "Open this worksheet on its own page",
    cited_in: "Cited in",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
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
        ("plan_title", "我的计划", "My plan"),
        (
            "plan_intro",
            "这一页把你在各章填写的内容汇总在一起：关系图、按日期排列的下一步、还没勾完的清单和阅读进度。内容只在你的浏览器里生成，不会发送到任何地方。",
            "This page gathers what you wrote across the book: the charts, your next steps by date, open checklist items and your reading progress. It is put together in your browser and never sent anywhere.",
        ),
        ("plan_charts", "图", "Charts"),
        ("plan_steps", "按日期排列的下一步", "Next steps by date"),
        (
            "plan_open_items",
            "还没完成的清单项",
            "Open checklist items",
        ),
        ("plan_progress", "阅读进度", "Reading progress"),
        (
            "plan_calendar",
            "导出日历（.ics）",
            "Export calendar (.ics)",
        ),
        ("plan_print", "打印计划", "Print the plan"),
        (
            "plan_noscript",
            "这一页需要 JavaScript 才能读取你保存在浏览器里的答案。",
            "This page needs JavaScript to read the answers saved in your browser.",
        ),
    ];
    pairs
        .iter()
        .map(|(key, zh, en)| (*key, if lang == Lang::Zh { *zh } else { *en }))
        .collect()
}
