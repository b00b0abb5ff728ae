<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../studio/ui/about.py" line="+45"/>
        <source>About PEFT Studio</source>
        <translation>关于 PEFT Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;PEFT Studio %1&lt;/h3&gt;&lt;p&gt;Parameter-efficient fine-tuning of Hugging Face models on MindSpore, with a window or headless (&lt;code&gt;peft-studio train&lt;/code&gt;).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;PEFT Studio %1&lt;/h3&gt;&lt;p&gt;基于 MindSpore 对 Hugging Face 模型进行参数高效微调，可使用图形界面，也可无界面运行（&lt;code&gt;peft-studio train&lt;/code&gt;）。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the versions, e.g. for a bug report</source>
        <translation>复制版本信息（例如用于报告问题）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (PySide6 %2)</source>
        <translation>%1（PySide6 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>being probed…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown (%1)</source>
        <translation>未知（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>ChartsPanel</name>
    <message>
        <location filename="../../studio/ui/train/monitor.py" line="+84"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>eval</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+69"/>
        <location line="+32"/>
        <source>tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>Exponential moving average drawn beside the raw curves; 0 turns it off.</source>
        <translation>在原始曲线旁绘制指数移动平均；0 表示关闭。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Loss, perplexity, learning rate and throughput are drawn here while a run trains.
Start one with the Start button or Ctrl+Return.</source>
        <translation>训练进行时，损失、困惑度、学习率和吞吐量会实时绘制在这里。
点击“开始”按钮或按 Ctrl+Return 开始训练。</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+34"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
</context>
<context>
    <name>ChatActions</name>
    <message>
        <location filename="../../studio/ui/playground/chattab.py" line="+147"/>
        <source>Check the tools</source>
        <translation>请检查工具</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>reached max new tokens</source>
        <translation>已达到最大新 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2 tokens/s</source>
        <translation>%1 · %2 token/秒</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The model called %1. Type what the tool returned and press Send as tool result.</source>
        <translation>模型调用了 %1。请输入工具返回的内容，然后点击“作为工具结果发送”。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Conversation copied.</source>
        <translation>对话已复制。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Conversation saved.</source>
        <translation>对话已保存。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not read conversations</source>
        <translation>无法读取对话</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No saved conversations yet.</source>
        <translation>还没有已保存的对话。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a saved conversation</source>
        <translation>打开已保存的对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation:</source>
        <translation>对话：</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+8"/>
        <source>Could not open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The saved conversation “%1” cannot be read: %2</source>
        <translation>无法读取已保存的对话“%1”：%2</translation>
    </message>
</context>
<context>
    <name>ChatTab</name>
    <message>
        <location line="-246"/>
        <source>Open saved…</source>
        <translation>打开已保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this conversation with the run</source>
        <translation>将此对话与运行一起保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the conversation as text</source>
        <translation>将对话复制为文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Load a model, type a message and press Ctrl+Return.</source>
        <translation>加载模型，输入消息，然后按 Ctrl+Return。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Message (Ctrl+Return sends)</source>
        <translation>消息（按 Ctrl+Return 发送）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send as tool result</source>
        <translation>作为工具结果发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send the text as what the called tool returned (a tool message); the model answers it</source>
        <translation>将输入内容作为被调用工具的返回结果（一条 tool 消息）发送；模型随后回答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
</context>
<context>
    <name>ClassifyActions</name>
    <message>
        <location filename="../../studio/ui/playground/classifytab.py" line="+53"/>
        <source>Classification failed</source>
        <translation>分类失败</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Predicted: &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation>预测：&lt;b&gt;%1&lt;/b&gt;（%2）</translation>
    </message>
</context>
<context>
    <name>ClassifyTab</name>
    <message>
        <location line="-45"/>
        <source>Text to classify</source>
        <translation>要分类的文本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
</context>
<context>
    <name>CombineTable</name>
    <message>
        <location filename="../../studio/ui/export/modes.py" line="+51"/>
        <source>Adapter</source>
        <translation>适配器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
</context>
<context>
    <name>CommandBox</name>
    <message>
        <location filename="../../studio/ui/export/output.py" line="+200"/>
        <source>Without the window</source>
        <translation>无需窗口</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The same export from a terminal:</source>
        <translation>在终端中执行同样的导出：</translation>
    </message>
</context>
<context>
    <name>CompareActions</name>
    <message>
        <location filename="../../studio/ui/playground/comparetab.py" line="+61"/>
        <source>Compare failed</source>
        <translation>对比失败</translation>
    </message>
</context>
<context>
    <name>CompareCharts</name>
    <message>
        <location filename="../../studio/ui/runs/compare.py" line="+45"/>
        <location line="+1"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Which other recorded series to compare</source>
        <translation>选择要对比的其他已记录指标</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exponential moving average drawn beside the raw curves; 0 turns it off.</source>
        <translation>在原始曲线旁绘制指数移动平均；0 表示关闭。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Select one or more runs to compare their curves.</source>
        <translation>选择一个或多个运行以对比其曲线。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparing {count} runs</source>
        <translation>正在对比 {count} 个运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Curves of {name}</source>
        <translation>{name} 的曲线</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>(no other series)</source>
        <translation>（无其他指标）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Accuracy (eval)</source>
        <translation>准确率（验证）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perplexity (eval)</source>
        <translation>困惑度（验证）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per second</source>
        <translation>每秒 token 数</translation>
    </message>
</context>
<context>
    <name>CompareColumns</name>
    <message>
        <location filename="../../studio/ui/playground/compare.py" line="+23"/>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+18"/>
        <location line="+4"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>answering…</source>
        <translation>正在回答…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <location filename="../../studio/ui/playground/comparetab.py" line="-39"/>
        <source>One prompt, answered by the base model and every loaded adapter</source>
        <translation>同一个提示，由基座模型和每个已加载的适配器分别回答</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>ComparisonModel</name>
    <message>
        <location filename="../../studio/ui/runs/evalmodels.py" line="+80"/>
        <source>Target</source>
        <translation>评估对象</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>ConfusionChart</name>
    <message>
        <location filename="../../studio/ui/runs/confusion.py" line="+25"/>
        <source>reference</source>
        <translation>参考标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>predicted</source>
        <translation>预测标签</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../studio/ui/playground/conversation.py" line="+36"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tool %1</source>
        <translation>工具 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>→ calls %1</source>
        <translation>→ 调用 %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>tool call</source>
        <translation>工具调用</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <location filename="../../studio/ui/data/page.py" line="+118"/>
        <source>A data file (csv, tsv, json, jsonl, parquet, txt) or a datasets folder</source>
        <translation>数据文件（csv、tsv、json、jsonl、parquet、txt）或 datasets 文件夹</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A folder written by datasets&apos; save_to_disk</source>
        <translation>由 datasets 的 save_to_disk 保存的文件夹</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No data file yet.</source>
        <translation>尚未选择数据文件。</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+212"/>
        <source>Choose a model on the Model page to count tokens with its tokenizer.</source>
        <translation>在“模型”页选择模型后，即可用其分词器统计 token 数。</translation>
    </message>
    <message>
        <location line="-208"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Reading %1 …</source>
        <translation>正在读取 %1 …</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No labels: %1 data.</source>
        <translation>无标签：%1 数据。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unrecognised</source>
        <translation>无法识别</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+33"/>
        <source>Problems (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>The file could not be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reading the data failed: %1</source>
        <translation>读取数据失败：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot read the data</source>
        <translation>无法读取数据</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>lines</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rows</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 row</source>
        <translation>1 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 column</source>
        <translation>1 列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 columns</source>
        <translation>%1 列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 label</source>
        <translation>1 个标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 labels</source>
        <translation>%1 个标签</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the first %1 shown</source>
        <translation>显示前 %1 行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(numbers at the left are %1 in the file)</source>
        <translation>（左侧数字为文件中的%1）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Token lengths need a local tokenizer folder; %1 is not downloaded yet.</source>
        <translation>统计 token 长度需要本地分词器文件夹；%1 尚未下载。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Counting tokens with the model&apos;s tokenizer …</source>
        <translation>正在用模型的分词器统计 token 数 …</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Token lengths unavailable: %1</source>
        <translation>无法获取 token 长度：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Nothing to show: the data is not read yet.</source>
        <translation>暂无内容：数据尚未读取。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a model on the Model page to see a row as its tokenizer reads it.</source>
        <translation>在“模型”页面选择一个模型，即可查看其分词器读取某一行的样子。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tokenizing row %1 …</source>
        <translation>正在对第 %1 行分词 …</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the child printed no rendering</source>
        <translation>子进程没有输出渲染结果</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot show this row: %1</source>
        <translation>无法显示这一行：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open a data file</source>
        <translation>打开数据文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data files (%1);;All files (*)</source>
        <translation>数据文件 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open a datasets folder</source>
        <translation>打开 datasets 文件夹</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Row %1 is beyond the %2 rows of the preview.</source>
        <translation>第 %1 行超出了预览的 %2 行。</translation>
    </message>
</context>
<context>
    <name>DataProblems</name>
    <message>
        <location filename="../../studio/ui/data/problems.py" line="+39"/>
        <source>The file could not be read. Check that it is a data file of the chosen type, and its encoding and delimiter.</source>
        <translation>无法读取该文件。请检查它是否为所选类型的数据文件，以及其编码和分隔符是否正确。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The validation file must hold the same kind of data, with the same columns and labels, as the training file.</source>
        <translation>验证文件必须与训练文件包含同类数据，并具有相同的列和标签。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The format could not be told from the column names. Pick the format and map the columns on the left.</source>
        <translation>无法根据列名判断数据格式。请在左侧选择格式并映射各列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This kind of data does not fit the task the model would train; choose another format or another model.</source>
        <translation>这类数据与模型要训练的任务不匹配；请选择其他格式或其他模型。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A classifier learns to tell classes apart, so it needs examples of at least two different labels.</source>
        <translation>分类器要学习区分类别，因此至少需要两种不同标签的样本。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>These rows use a label that is not in the label list. Add it to Labels, or fix the rows.</source>
        <translation>这些行使用了标签列表中没有的标签。请将其添加到“标签”中，或修正这些行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every row needs exactly one label: a word or a number, not empty and not a list.</source>
        <translation>每一行必须恰好有一个标签：一个词或一个数字，不能为空，也不能是列表。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A chat row needs a list of messages, each with a role and some content, and at least one assistant reply to learn from.</source>
        <translation>对话数据的每一行需要一个消息列表，每条消息都有角色和内容，并且至少包含一条可供学习的助手回复。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A token-classification row needs a list of words and exactly one tag for each word.</source>
        <translation>词元分类数据的每一行需要一个词列表，并且每个词恰好对应一个标签。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The column chosen for this role does not exist in the file; pick another one or leave it on automatic.</source>
        <translation>为该用途选择的列在文件中不存在；请选择其他列，或保留为自动。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>These rows have no text in that column. Fill it in or remove the rows: an empty example teaches the model nothing.</source>
        <translation>这些行在该列中没有文本。请补全或删除这些行：空样本对模型毫无帮助。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This column should hold plain text, but these rows hold a list or an object.</source>
        <translation>该列应为纯文本，但这些行中是列表或对象。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No column could be found for this role. Choose it on the left.</source>
        <translation>找不到用于该用途的列。请在左侧选择。</translation>
    </message>
</context>
<context>
    <name>DatasetForm</name>
    <message>
        <location filename="../../studio/ui/data/form.py" line="+55"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detect automatically</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>classification (text, label)</source>
        <translation>分类（文本、标签）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>instruction (instruction, input, output)</source>
        <translation>指令（指令、输入、输出）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chat (messages)</source>
        <translation>对话（消息）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seq2seq (source, target)</source>
        <translation>seq2seq（源、目标）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token classification (tokens, tags)</source>
        <translation>词元分类（词元、标签）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The folder holds a dataset_info.json: the dataset to read from it</source>
        <translation>该文件夹包含 dataset_info.json：选择要读取的数据集</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>from the file name</source>
        <translation>根据文件名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dataset:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detected:</source>
        <translation>检测结果：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File type:</source>
        <translation>文件类型：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+154"/>
        <source>(automatic)</source>
        <translation>（自动）</translation>
    </message>
    <message>
        <location line="-144"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fraction of the rows held out for evaluation when there is no validation file; 0 = no evaluation.</source>
        <translation>没有验证文件时，留出用于评估的行的比例；0 表示不评估。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none: split the data file</source>
        <translation>无：从数据文件中划分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+192"/>
        <source>Choose a validation file</source>
        <translation>选择验证文件</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Seed of the train/validation split and shuffling.</source>
        <translation>训练/验证划分与打乱所用的随机种子。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use at most this many rows for training.</source>
        <translation>最多使用这么多行进行训练。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV/TSV column separator; type any single character.</source>
        <translation>CSV/TSV 列分隔符；可输入任意单个字符。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>from the data, sorted</source>
        <translation>取自数据，已排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label names in id order, separated by commas.</source>
        <translation>按 id 顺序排列的标签名，以逗号分隔。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat and instruction data: a system message put before every example.</source>
        <translation>对话和指令数据：放在每个样本前面的系统消息。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pack plain text into full-length blocks</source>
        <translation>将纯文本打包成满长度的块</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Validation split:</source>
        <translation>验证集比例：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation file:</source>
        <translation>验证文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max samples:</source>
        <translation>最大样本数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delimiter:</source>
        <translation>分隔符：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoding:</source>
        <translation>编码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>(automatic: %1)</source>
        <translation>（自动：%1）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not recognised</source>
        <translation>无法识别</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The format is not known yet: map the columns, or pick a format above.</source>
        <translation>格式尚未确定：请映射各列，或在上方选择格式。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Data files (*.csv *.tsv *.json *.jsonl *.parquet *.txt);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.json *.jsonl *.parquet *.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DeleteRunsDialog</name>
    <message>
        <location filename="../../studio/ui/runs/dialogs.py" line="+25"/>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {count} runs from the run history?</source>
        <translation>要从运行记录中删除 {count} 个运行吗？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the run “{name}” from the run history?</source>
        <translation>要从运行记录中删除运行“{name}”吗？</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Also delete the output folder</source>
        <translation>同时删除输出文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There is no output folder on disk.</source>
        <translation>磁盘上没有输出文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PEFT Studio deletes only folders it made for these runs.</source>
        <translation>PEFT Studio 只删除它为这些运行创建的文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>its record, {points}, {checkpoints} and {exports}</source>
        <translation>其记录、{points}、{checkpoints}和{exports}</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n metric point(s)</source>
        <translation>
            <numerusform>%n 个指标数据点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n checkpoint entry(s)</source>
        <translation>
            <numerusform>%n 条检查点记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n export entry(s)</source>
        <translation>
            <numerusform>%n 条导出记录</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>output folder {folder} ({size})</source>
        <translation>输出文件夹 {folder}（{size}）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>kept on disk: PEFT Studio did not make this folder for this run</source>
        <translation>保留在磁盘上：此文件夹并非 PEFT Studio 为该运行创建</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;deleted&lt;/b&gt;</source>
        <translation>&lt;b&gt;将被删除&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kept on disk</source>
        <translation>保留在磁盘上</translation>
    </message>
</context>
<context>
    <name>DistributedForm</name>
    <message>
        <location filename="../../studio/ui/train/distributed_form.py" line="+37"/>
        <source>Several hosts</source>
        <translation>多台主机</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;workers&lt;/b&gt;&lt;br&gt;Processes training together, one per card, over all hosts (data parallel through MindSpore&apos;s msrun). The batch size stays the batch of one step, split across them.</source>
        <translation>&lt;b&gt;workers&lt;/b&gt;&lt;br&gt;共同训练的进程数，每张卡一个，计入所有主机（通过 MindSpore 的 msrun 进行数据并行）。批大小仍是一步的全局批大小，由各进程均分。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>this machine only</source>
        <translation>仅本机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;hosts&lt;/b&gt;&lt;br&gt;The address of every machine, comma separated, this one (which leads) first. Start the others with peft-studio train RUN_FILE --node-rank N.</source>
        <translation>&lt;b&gt;hosts&lt;/b&gt;&lt;br&gt;每台机器的地址，用逗号分隔，本机（主导节点）在前。其他机器用 peft-studio train RUN_FILE --node-rank N 启动。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;master_port&lt;/b&gt;&lt;br&gt;The port of msrun&apos;s scheduler on the first host.</source>
        <translation>&lt;b&gt;master_port&lt;/b&gt;&lt;br&gt;第一台主机上 msrun 调度器的端口。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Workers</source>
        <translation>工作进程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduler port</source>
        <translation>调度器端口</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <location filename="../../studio/ui/model/download.py" line="+22"/>
        <source>Download %1</source>
        <translation>下载 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Asking the hub for the file list of %1…</source>
        <translation>正在向模型库查询 %1 的文件列表…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: %2 files, %3, from %4</source>
        <translation>%1：%2 个文件，%3，来自 %4</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 of %2 files · %3 of %4 · %5/s</source>
        <translation>%1/%2 个文件 · %3/%4 · %5/秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> · about %1 s left</source>
        <translation> · 约剩 %1 秒</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Downloaded into the ModelScope cache: %1</source>
        <translation>已下载到 ModelScope 缓存：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloaded into the Hugging Face cache: %1</source>
        <translation>已下载到 Hugging Face 缓存：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped. What was downloaded is kept; download again to resume.</source>
        <translation>已停止。已下载的部分会保留；再次下载即可续传。</translation>
    </message>
</context>
<context>
    <name>EstimatePanel</name>
    <message>
        <location filename="../../studio/ui/model/panels.py" line="+92"/>
        <source>Estimate before training</source>
        <translation>训练前估算</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Trainable parameters:</source>
        <translation>可训练参数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Total parameters:</source>
        <translation>总参数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Optimizer (AdamW)</source>
        <translation>优化器（AdamW）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Total memory</source>
        <translation>总显存/内存</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Load a model to see an estimate.</source>
        <translation>加载模型后即可查看估算。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>about </source>
        <translation>约 </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A rough lower bound: framework overhead is not included.</source>
        <translation>粗略下限：未计入框架开销。</translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <location filename="../../studio/ui/runs/evaldialog.py" line="+40"/>
        <source>Evaluate {name}</source>
        <translation>评估 {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a held-out file the run has not seen</source>
        <translation>运行在训练中未见过的留出数据文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Also evaluate the base model, for comparison</source>
        <translation>同时评估基础模型，用于对比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all rows</source>
        <translation>全部行</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Longest generated answer (generation tasks); decoding is greedy</source>
        <translation>生成回答的最大长度（生成任务）；解码为贪心解码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Final result</source>
        <translation>最终结果</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checkpoint at step {step}</source>
        <translation>第 {step} 步的检查点</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data file:</source>
        <translation>数据文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate:</source>
        <translation>评估对象：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rows:</source>
        <translation>行数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max new tokens:</source>
        <translation>最大新 token 数：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Held-out data file</source>
        <translation>留出数据文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data (*.jsonl *.json *.csv *.tsv *.txt *.parquet);;All files (*)</source>
        <translation>数据 (*.jsonl *.json *.csv *.tsv *.txt *.parquet);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose the data file to evaluate on.</source>
        <translation>请选择用于评估的数据文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is no file {path}.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
</context>
<context>
    <name>EvaluationWorker</name>
    <message>
        <location filename="../../workers/evaluation.py" line="+111"/>
        <source>The evaluation process did not stop in time; killing it.</source>
        <translation>评估进程未能及时停止，正在强制结束。</translation>
    </message>
</context>
<context>
    <name>EvaluationsView</name>
    <message>
        <location filename="../../studio/ui/runs/evaluations.py" line="+84"/>
        <source>Evaluate…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run the current run over a held-out file and score its predictions</source>
        <translation>用当前运行的结果处理留出数据文件，并为其预测打分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the comparison table as CSV</source>
        <translation>将对比表保存为 CSV</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare evaluations on this data file (files are told apart by their content)</source>
        <translation>对比在此数据文件上的评估（按文件内容区分文件）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Data file:</source>
        <translation>数据文件：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Filter predictions…</source>
        <translation>筛选预测…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong only</source>
        <translation>仅看错误</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>No evaluations of the selected runs yet. Choose Evaluate… to score a run on a held-out file, or run &lt;code&gt;peft-studio eval RUN --data test.jsonl&lt;/code&gt;.</source>
        <translation>所选运行尚无评估。选择“评估…”在留出数据文件上为运行打分，或执行 &lt;code&gt;peft-studio eval RUN --data test.jsonl&lt;/code&gt;。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{shown} of {total} rows, {wrong} wrong</source>
        <translation>显示 {shown} / {total} 行，错误 {wrong} 行</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export comparison</source>
        <translation>导出对比</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{target}: starting</source>
        <translation>{target}：开始</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{target}: {done}/{total} rows, {rate:.1f} rows/s</source>
        <translation>{target}：{done}/{total} 行，{rate:.1f} 行/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, {rate:.0f} tokens/s</source>
        <translation>，{rate:.0f} token/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, {eta:.0f} s left</source>
        <translation>，剩余 {eta:.0f} 秒</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Evaluated: {targets}</source>
        <translation>已评估：{targets}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelled; nothing was recorded.</source>
        <translation>已取消，未记录任何结果。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The evaluation failed.</source>
        <translation>评估失败。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluation failed</source>
        <translation>评估失败</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <location filename="../../studio/ui/export/jobs.py" line="+98"/>
        <source>Add the LoRA adapters to combine: choose each as the source, then Add.</source>
        <translation>添加要合并的 LoRA 适配器：逐个将其选为来源，然后点击“添加”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../studio/ui/export/page.py" line="+313"/>
        <source>Choose a run or a folder to export.</source>
        <translation>请选择要导出的运行或文件夹。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location filename="../../studio/ui/export/page.py" line="-14"/>
        <source>Choose the folder to export into.</source>
        <translation>请选择导出目标文件夹。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/export/page.py" line="-224"/>
        <source>Export as</source>
        <translation>导出方式</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Run {run} has no result or checkpoint to export yet.</source>
        <translation>运行 {run} 还没有可导出的结果或检查点。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Cannot export yet</source>
        <translation>暂时无法导出</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not start the export</source>
        <translation>无法启动导出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exporting to {folder}…</source>
        <translation>正在导出到 {folder}…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>{folder} already holds files that PEFT Studio did not export. Choose an empty folder: Overwrite replaces only an earlier export.</source>
        <translation>{folder} 中已有并非由 PEFT Studio 导出的文件。请选择空文件夹：“覆盖”只替换先前的导出。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{folder} holds an earlier export. Choose an empty folder, or tick Overwrite to replace it.</source>
        <translation>{folder} 中是先前的一次导出。请选择空文件夹，或勾选“覆盖”以替换它。</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Exported to {folder}.</source>
        <translation>已导出到 {folder}。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verification failed</source>
        <translation>校验失败</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Exported to {folder}, but the verification failed; the files are kept.</source>
        <translation>已导出到 {folder}，但校验失败；文件已保留。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+3"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消；没有写入任何文件。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>The export failed.</source>
        <translation>导出失败。</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Verification cancelled: the files in {folder} are complete but not verified, and not recorded with the run.</source>
        <translation>校验已取消：{folder} 中的文件是完整的，但未经校验，也未记录到该运行中。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The export process ended unexpectedly.</source>
        <translation>导出进程意外结束。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{folder} is a file; choose a folder.</source>
        <translation>{folder} 是一个文件；请选择文件夹。</translation>
    </message>
</context>
<context>
    <name>ExportSource</name>
    <message>
        <location filename="../../studio/ui/export/source.py" line="+38"/>
        <source>Causal language modelling</source>
        <translation>因果语言建模</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence to sequence</source>
        <translation>序列到序列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence classification</source>
        <translation>序列分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token classification</source>
        <translation>词元分类</translation>
    </message>
</context>
<context>
    <name>ExportWorker</name>
    <message>
        <location filename="../../workers/export.py" line="+150"/>
        <source>The export process did not exit in time; killing it.</source>
        <translation>导出进程未能及时退出；正在强制结束。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../studio/ui/runs/filters.py" line="+44"/>
        <source>Search name, id, model, dataset…</source>
        <translation>搜索名称、ID、模型、数据集…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All models</source>
        <translation>全部模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All methods</source>
        <translation>全部方法</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the run history again</source>
        <translation>重新读取运行记录</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{total} runs</source>
        <translation>共 {total} 个运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{shown} of {total} runs</source>
        <translation>显示 {shown} / {total} 个运行</translation>
    </message>
</context>
<context>
    <name>HubDialog</name>
    <message>
        <location filename="../../studio/ui/hubdialog.py" line="+26"/>
        <source>Downloads: mirror %1</source>
        <translation>下载来源：镜像 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Downloads: ModelScope</source>
        <translation>下载来源：ModelScope（魔搭）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloads: Hugging Face</source>
        <translation>下载来源：Hugging Face</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (offline)</source>
        <translation>（离线）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Download source</source>
        <translation>下载来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where models named by a hub id (org/name) are downloaded from. Local folders are never looked up online.</source>
        <translation>以模型库 ID（org/name）指定的模型从哪里下载。本地文件夹从不在网上查找。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hugging Face (huggingface.co, the default)</source>
        <translation>Hugging Face（huggingface.co，默认）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Hugging Face mirror:</source>
        <translation>Hugging Face 镜像：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ModelScope (modelscope.cn, into the ModelScope cache)</source>
        <translation>ModelScope（modelscope.cn，下载到 ModelScope 缓存）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Offline mode is on (HF_HUB_OFFLINE): nothing is downloaded; the local cache alone is used.</source>
        <translation>离线模式已开启（HF_HUB_OFFLINE）：不下载任何内容，只使用本地缓存。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs record the source they used. A run file&apos;s hub: section overrides this choice.</source>
        <translation>每次运行都会记录所用的来源。运行文件中的 hub: 部分优先于此处的选择。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Enter the mirror&apos;s address, starting with https:// or http://</source>
        <translation>请输入镜像地址，以 https:// 或 http:// 开头</translation>
    </message>
</context>
<context>
    <name>InfoPanel</name>
    <message>
        <location filename="../../studio/ui/model/panels.py" line="-128"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Family</source>
        <translation>模型系列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Supported tasks</source>
        <translation>支持的任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hidden size</source>
        <translation>隐藏层维度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoint dtype</source>
        <translation>权重数据类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Checkpoint size</source>
        <translation>权重文件大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>decoder-only</source>
        <translation>仅解码器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>encoder-only</source>
        <translation>仅编码器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>encoder-decoder</source>
        <translation>编码器-解码器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>causal LM</source>
        <translation>因果语言模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>seq2seq</source>
        <translation>seq2seq</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sequence classification</source>
        <translation>序列分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token classification</source>
        <translation>词元分类</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>about %1 (from config.json)</source>
        <translation>约 %1（来自 config.json）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>included</source>
        <translation>已包含</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
</context>
<context>
    <name>LabelChart</name>
    <message>
        <location filename="../../studio/ui/data/plots.py" line="+72"/>
        <source>Label distribution</source>
        <translation>标签分布</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tag distribution (words)</source>
        <translation>标记分布（按词）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label distribution (rows)</source>
        <translation>标签分布（按行）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The %1 most frequent of %2 labels are shown.</source>
        <translation>显示 %2 个标签中最常见的 %1 个。</translation>
    </message>
</context>
<context>
    <name>LengthChart</name>
    <message>
        <location line="+10"/>
        <source>Token lengths</source>
        <translation>Token 长度</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Token lengths (rows per length range)</source>
        <translation>Token 长度（各长度区间的行数）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No token lengths: nothing to tokenise.</source>
        <translation>没有 token 长度：没有可分词的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token lengths (tokens per row)</source>
        <translation>Token 长度（每行 token 数）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>min</source>
        <translation>最小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>95 %</source>
        <translation>95 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max</source>
        <translation>最大</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 rows tokenised; mean %2, 95 % of rows up to %3 tokens.</source>
        <translation>已分词 %1 行；平均 %2，95 % 的行不超过 %3 个 token。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Targets: mean %1, max %2.</source>
        <translation>目标：平均 %1，最大 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(a sample of the rows)</source>
        <translation>（部分行的抽样）</translation>
    </message>
</context>
<context>
    <name>LineupActions</name>
    <message>
        <location filename="../../studio/ui/playground/lineupactions.py" line="+23"/>
        <source>Choose a base model folder</source>
        <translation>选择基座模型文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not read the runs</source>
        <translation>无法读取运行记录</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Press Load to load the base model with the run&apos;s adapter.</source>
        <translation>按“加载”以载入基础模型及该运行的适配器。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Press Load to load the fine-tuned model.</source>
        <translation>按“加载”以载入微调后的模型。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Playground is busy; try again when it is done.</source>
        <translation>试用页正忙，请在完成后再试。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No runs to add</source>
        <translation>没有可添加的运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no finished run with an adapter yet (or the list is still being read). Train one on the Train page, or add an adapter folder.</source>
        <translation>还没有带适配器的已完成运行（或列表仍在读取中）。请在“训练”页训练一个，或添加适配器文件夹。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 — final result</source>
        <translation>%1 — 最终结果</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — checkpoint at step %2</source>
        <translation>%1 — 第 %2 步的检查点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add adapter from a run</source>
        <translation>从运行添加适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run or checkpoint:</source>
        <translation>运行或检查点：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose an adapter folder</source>
        <translation>选择适配器文件夹</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot use this adapter</source>
        <translation>无法使用此适配器</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This adapter does not fit</source>
        <translation>此适配器不匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 cannot be used with %2:</source>
        <translation>%1 无法与 %2 一起使用：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the base model</source>
        <translation>该基座模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is in the list already.</source>
        <translation>%1 已在列表中。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Press Load to load the base again without the removed adapter.</source>
        <translation>点击“加载”以重新加载基座模型（不含已移除的适配器）。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studio/ui/mainwindow.py" line="+101"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Playground</source>
        <translation>试用</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&amp;Open run file…</source>
        <translation>打开运行文件(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save run file…</source>
        <translation>保存运行文件(&amp;S)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Start training</source>
        <translation>开始训练(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;top training</source>
        <translation>停止训练(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume last run</source>
        <translation>恢复上次运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Runs</source>
        <translation>运行记录(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Playground</source>
        <translation>试用(&amp;P)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About PEFT Studio</source>
        <translation>关于 PEFT Studio(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Download source…</source>
        <translation>下载来源(&amp;D)…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking devices…</source>
        <translation>正在检测设备…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>A server is already running: stop it first to serve other runs.</source>
        <translation>已有服务器在运行：请先停止它，再为其他运行提供服务。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Fix the problems listed on the Train page first.</source>
        <translation>请先修复“训练”页列出的问题。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>A run is already going.</source>
        <translation>已有运行正在进行。</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+3"/>
        <source>Could not start the run</source>
        <translation>无法启动运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run file: %1</source>
        <translation>运行文件：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Starting the training process…</source>
        <translation>正在启动训练进程…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A run is already going; stop it first.</source>
        <translation>已有运行正在进行；请先停止它。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not resume the run</source>
        <translation>无法恢复运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Resuming run %1…</source>
        <translation>正在恢复运行 %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Training run %1</source>
        <translation>正在训练：运行 %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Run %1 finished.</source>
        <translation>运行 %1 已完成。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run %1 stopped early: the metric stopped improving.</source>
        <translation>运行 %1 已早停：监控指标不再改善。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run %1 stopped; Resume continues it.</source>
        <translation>运行 %1 已停止；点击“恢复”可继续。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run %1 failed.</source>
        <translation>运行 %1 失败。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1 ended (%2).</source>
        <translation>运行 %1 已结束（%2）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The training process ended unexpectedly.</source>
        <translation>训练进程意外结束。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resume continues from the latest checkpoint.</source>
        <translation>“恢复”会从最新的检查点继续。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open run file</source>
        <translation>打开运行文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run files (*.yaml *.yml *.json)</source>
        <translation>运行文件 (*.yaml *.yml *.json)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+5"/>
        <source>Could not open the run file</source>
        <translation>无法打开运行文件</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>%1 has problems:</source>
        <translation>%1 存在问题：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Loaded %1</source>
        <translation>已加载 %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Devices: unknown</source>
        <translation>设备：未知</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>MindSpore %1 · %2</source>
        <translation>MindSpore %1 · %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new language takes effect the next time PEFT Studio starts.</source>
        <translation>新语言将在下次启动 PEFT Studio 时生效。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Restart PEFT Studio to switch the language.</source>
        <translation>重启 PEFT Studio 以切换语言。</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>A run is training</source>
        <translation>有运行正在训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training is still running. What should happen to it?</source>
        <translation>训练仍在进行。要如何处理它？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopping saves a checkpoint first, so the run can be resumed later. A run left going keeps training and recording to the Runs page without the window.</source>
        <translation>停止前会先保存检查点，之后可以恢复该运行。若保持运行，训练会在窗口关闭后继续进行，并照常记录到“运行记录”页。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop the run</source>
        <translation>停止运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep it running</source>
        <translation>保持运行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An export is running</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closing the window cancels the export.</source>
        <translation>关闭窗口将取消导出。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its unfinished folder is removed; nothing else is touched. You can export again later from the Runs or Export page.</source>
        <translation>未完成的文件夹会被删除，其他内容不受影响。之后可以在“运行记录”或“导出”页面重新导出。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel the export and close</source>
        <translation>取消导出并关闭</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Stopping the run; the window closes when its checkpoint is saved…</source>
        <translation>正在停止运行；检查点保存后窗口将关闭…</translation>
    </message>
</context>
<context>
    <name>MethodForm</name>
    <message>
        <location filename="../../studio/ui/train/method_form.py" line="+44"/>
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+24"/>
        <location line="+1"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Target modules</source>
        <translation>目标模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train biases</source>
        <translation>训练偏置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fully trained modules</source>
        <translation>全量训练的模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial rank</source>
        <translation>初始秩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target rank</source>
        <translation>目标秩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up steps (tinit)</source>
        <translation>预热步数（tinit）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Final steps (tfinal)</source>
        <translation>收尾步数（tfinal）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reallocation interval</source>
        <translation>重分配间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sensitivity smoothing</source>
        <translation>敏感度平滑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uncertainty smoothing</source>
        <translation>不确定性平滑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orthogonality weight</source>
        <translation>正交正则权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feed-forward modules</source>
        <translation>前馈模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank dropout</source>
        <translation>秩 Dropout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Module dropout</source>
        <translation>模块 Dropout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decompose both factors</source>
        <translation>分解两个因子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decomposition factor</source>
        <translation>分解因子</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Block size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Constrained (COFT)</source>
        <translation>约束旋转（COFT）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>COFT epsilon</source>
        <translation>COFT epsilon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share blocks</source>
        <translation>共享块</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of blocks</source>
        <translation>块数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Butterfly factors</source>
        <translation>蝶形因子数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Initial scaling</source>
        <translation>初始缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Projection seed</source>
        <translation>投影随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save projections</source>
        <translation>保存投影矩阵</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frequencies</source>
        <translation>频率数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scaling</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frequency seed</source>
        <translation>频率随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual tokens</source>
        <translation>虚拟 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prefix projection</source>
        <translation>前缀投影</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoder hidden size</source>
        <translation>编码器隐藏层维度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initialisation</source>
        <translation>初始化方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial text</source>
        <translation>初始化文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoder layers</source>
        <translation>编码器层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoder dropout</source>
        <translation>编码器 Dropout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt length</source>
        <translation>提示长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adapted layers</source>
        <translation>适配层数</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This method has no parameters to set.</source>
        <translation>该方法没有需要设置的参数。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Range: %1 to %2</source>
        <translation>范围：%1 到 %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>none (comma-separated names)</source>
        <translation>无（以逗号分隔的名称）</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>default for %1: %2</source>
        <translation>%1 的默认值：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>peft&apos;s default for %1</source>
        <translation>peft 对 %1 的默认值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default for the model family</source>
        <translation>模型系列的默认值</translation>
    </message>
</context>
<context>
    <name>MetricChart</name>
    <message>
        <location filename="../../studio/ui/common/charts.py" line="+132"/>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>ModeTabs</name>
    <message>
        <location filename="../../studio/ui/export/modes.py" line="+70"/>
        <source>Adapter only</source>
        <translation>仅适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merged model</source>
        <translation>合并后的模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Combine LoRA adapters</source>
        <translation>合并多个 LoRA 适配器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The standard PEFT files (adapter_config.json, adapter_model.safetensors), the tokenizer and a model card. They load on top of the base model with PEFT, on PyTorch or with mindnlp.</source>
        <translation>标准 PEFT 文件（adapter_config.json、adapter_model.safetensors）、分词器和模型卡片。可通过 PEFT 叠加到基座模型上加载，支持 PyTorch 和 mindnlp。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+73"/>
        <source>Base model name</source>
        <translation>基座模型名称</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>The fine-tuning folded into the base weights: a standalone Hugging Face model folder (config.json, safetensors shards, tokenizer, generation config) that loads without PEFT.</source>
        <translation>将微调结果合并进基座权重：得到独立的 Hugging Face 模型文件夹（config.json、safetensors 分片、分词器、生成配置），无需 PEFT 即可加载。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>float32 (exact)</source>
        <translation>float32（精确）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>float16 (half the size)</source>
        <translation>float16（体积减半）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bfloat16 (half the size, float32&apos;s range)</source>
        <translation>bfloat16（体积减半，数值范围同 float32）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Largest safetensors file, e.g. 2GB, 500MB or 1GiB; bigger models are split into several shards</source>
        <translation>单个 safetensors 文件的最大大小，例如 2GB、500MB 或 1GiB；更大的模型会拆分为多个分片</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max shard size</source>
        <translation>最大分片大小</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A weighted mix of LoRA adapters trained on the same base model, saved as one new adapter (PEFT&apos;s add_weighted_adapter).</source>
        <translation>将基于同一基座模型训练的多个 LoRA 适配器加权合并，保存为一个新的适配器（PEFT 的 add_weighted_adapter）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add the chosen source</source>
        <translation>添加所选来源</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Weighted sum of the A and B matrices; equal ranks, positive weights</source>
        <translation>对 A、B 矩阵加权求和；要求秩相同、权重为正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ranks stacked: exactly the weighted sum of the updates</source>
        <translation>拼接各秩：精确等于各更新量的加权和</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weighted sum of the updates, truncated to a rank by SVD</source>
        <translation>各更新量的加权和，经 SVD 截断到指定秩</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>largest source rank</source>
        <translation>来源中的最大秩</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Combination</source>
        <translation>合并方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVD rank</source>
        <translation>SVD 秩</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>optional, e.g. the hub id: Qwen/Qwen2-0.5B</source>
        <translation>可选，例如 Hub ID：Qwen/Qwen2-0.5B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded as base_model_name_or_path in adapter_config.json and the model card, in place of a local folder</source>
        <translation>作为 base_model_name_or_path 写入 adapter_config.json 和模型卡片，以代替本地文件夹路径</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../studio/ui/model/page.py" line="+83"/>
        <source>A local model folder, or a Hugging Face hub id such as org/name</source>
        <translation>本地模型文件夹，或 Hugging Face Hub ID（如 org/name）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recent models are in the drop-down list. You can also drop a model folder anywhere on this page.</source>
        <translation>最近使用的模型在下拉列表中。也可以将模型文件夹拖放到本页任意位置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download this hub model into the local cache now, its size shown first</source>
        <translation>现在将此模型库模型下载到本地缓存，先显示其大小</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Base model:</source>
        <translation>基座模型：</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Choose a model folder or type a hub id.</source>
        <translation>请选择模型文件夹或输入 Hub ID。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading %1 …</source>
        <translation>正在读取 %1 …</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Reading the model failed: %1</source>
        <translation>读取模型失败：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot read the model</source>
        <translation>无法读取模型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This is a hub id: the model is downloaded before training or loading starts, or now with Download….</source>
        <translation>这是模型库 ID：模型会在训练或加载开始前下载，也可以现在点击“下载…”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This hub model is in the local ModelScope cache.</source>
        <translation>此模型库模型已在本地 ModelScope 缓存中。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This hub model is in the local Hugging Face cache.</source>
        <translation>此模型库模型已在本地 Hugging Face 缓存中。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The details shown come from the local ModelScope cache.</source>
        <translation>显示的信息来自本地 ModelScope 缓存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The details shown come from the local Hugging Face cache.</source>
        <translation>显示的信息来自本地 Hugging Face 缓存。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The estimate needs the model&apos;s config.json: it appears once the model is downloaded.</source>
        <translation>估算需要模型的 config.json：模型下载后即会显示。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 · batch %2 · length %3 · %4</source>
        <translation>%1 · 批大小 %2 · 长度 %3 · %4</translation>
    </message>
</context>
<context>
    <name>ModuleTreeModel</name>
    <message>
        <location filename="../../studio/ui/model/treemodel.py" line="+192"/>
        <source>Module</source>
        <translation>模块</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shape (in → out)</source>
        <translation>形状（输入 → 输出）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>1 module</source>
        <translation>1 个模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 modules</source>
        <translation>%1 个模块</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>linear</source>
        <translation>线性层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>linear (Conv1D)</source>
        <translation>线性层（Conv1D）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>embedding</source>
        <translation>嵌入层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>norm</source>
        <translation>归一化层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>convolution</source>
        <translation>卷积层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>name only</source>
        <translation>仅名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, tied</source>
        <translation>%1，共享权重</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1
in %2 → out %3</source>
        <translation>%1
输入 %2 → 输出 %3</translation>
    </message>
</context>
<context>
    <name>OutputBox</name>
    <message>
        <location filename="../../studio/ui/export/output.py" line="-159"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a new or empty folder</source>
        <translation>新建或空的文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite: replace an earlier export</source>
        <translation>覆盖：替换先前的导出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only a folder PEFT Studio exported into is replaced, and only once the new export is complete; a folder of yours is never touched</source>
        <translation>只会替换 PEFT Studio 先前导出到的文件夹，且要等新的导出完成之后；您自己的文件夹绝不会被改动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verify after export</source>
        <translation>导出后校验</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reload the export in a fresh process and compare its logits with the studio&apos;s on a few samples</source>
        <translation>在新进程中重新加载导出结果，并在少量样本上将其 logits 与本工具的结果进行比较</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A new folder is made.</source>
        <translation>将新建一个文件夹。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder is empty.</source>
        <translation>该文件夹为空。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is a file; choose a folder.</source>
        <translation>这是一个文件；请选择文件夹。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The earlier export in this folder is replaced once the new one is complete.</source>
        <translation>新的导出完成后，才会替换此文件夹中先前的导出。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder holds an earlier export: choose another, or tick Overwrite.</source>
        <translation>此文件夹中是先前的一次导出：请另选文件夹，或勾选“覆盖”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The folder already holds files that PEFT Studio did not export: choose another folder. Overwrite replaces only an earlier export.</source>
        <translation>此文件夹中已有并非由 PEFT Studio 导出的文件：请另选文件夹。“覆盖”只替换先前的导出。</translation>
    </message>
</context>
<context>
    <name>PickleConsent</name>
    <message>
        <location filename="../../studio/ui/common/pickleconsent.py" line="+16"/>
        <source>Allow pickle weights (.bin, .pt)</source>
        <translation>允许 pickle 权重（.bin、.pt）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model and adapter folders are read as safetensors only. Some older folders hold their weights only as pickle files (pytorch_model.bin, adapter_model.bin, *.pt), which can run code when they are loaded.</source>
        <translation>模型和适配器文件夹只按 safetensors 读取。一些较旧的文件夹只以 pickle 文件（pytorch_model.bin、adapter_model.bin、*.pt）保存权重，加载时可能运行其中的代码。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A pickle file can run any code its author put in it. Allow this only for files from a source you trust; they are read by a loader that accepts tensors only. Better: convert them to safetensors.</source>
        <translation>pickle 文件可以运行其作者放入的任何代码。仅对来源可信的文件允许此项；它们将由只接受张量的加载器读取。更好的做法：将其转换为 safetensors。</translation>
    </message>
</context>
<context>
    <name>PlaygroundPage</name>
    <message>
        <location filename="../../studio/ui/playground/page.py" line="+289"/>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Answer with:</source>
        <translation>回答使用：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seq2seq</source>
        <translation>Seq2seq</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Choose a base model or an adapter to serve.</source>
        <translation>请选择要提供服务的基础模型或适配器。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>No base model</source>
        <translation>没有基座模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a base model folder (or a hub id) first.</source>
        <translation>请先选择基座模型文件夹（或输入 Hub ID）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Starting the inference process…</source>
        <translation>正在启动推理进程…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model&apos;s process ended unexpectedly ({how}). The conversation is kept; press Reload to load the same base model and adapters again.</source>
        <translation>模型进程意外结束（{how}）。对话已保留；按“重新加载”可再次加载相同的基础模型和适配器。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Loading failed.</source>
        <translation>加载失败。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Chat needs a causal language model (GPT/Llama/Qwen type).</source>
        <translation>对话需要因果语言模型（GPT/Llama/Qwen 类）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare needs a loaded model.</source>
        <translation>对比需要已加载的模型。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seq2seq needs an encoder-decoder model (T5/mT5 type).</source>
        <translation>Seq2seq 需要编码器-解码器模型（T5/mT5 类）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classify needs a sequence-classification model or adapter.</source>
        <translation>分类需要序列分类模型或适配器。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Load a base model to start.</source>
        <translation>加载基座模型以开始。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The playground cannot use a model loaded for %1.</source>
        <translation>试用页无法使用为 %1 加载的模型。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Nothing loaded</source>
        <translation>未加载任何模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load a base model first.</source>
        <translation>请先加载基座模型。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Check the sampling settings</source>
        <translation>请检查采样设置</translation>
    </message>
</context>
<context>
    <name>PredictionsModel</name>
    <message>
        <location filename="../../studio/ui/runs/evalmodels.py" line="+70"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <location filename="../../studio/ui/data/problems.py" line="+21"/>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expected %1</source>
        <translation>应为 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>found %1</source>
        <translation>实际为 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Double-click to show the row in the preview.</source>
        <translation>双击可在预览中显示该行。</translation>
    </message>
</context>
<context>
    <name>RefusalBanner</name>
    <message>
        <location filename="../../studio/ui/export/output.py" line="+134"/>
        <source>No merged model for this source. {why}</source>
        <translation>该来源无法导出合并模型。{why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No adapter export for this source: {why}.</source>
        <translation>该来源无法导出适配器：{why}。</translation>
    </message>
</context>
<context>
    <name>RenderView</name>
    <message>
        <location filename="../../studio/ui/data/render.py" line="+50"/>
        <source>What the model sees</source>
        <translation>模型看到的内容</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>training.max_length: longer rows are cut as training cuts them</source>
        <translation>training.max_length：更长的行会像训练时一样被截断</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;span style=&quot;color:%1&quot;&gt;grey: read, no loss&lt;/span&gt; · &lt;span style=&quot;color:%2; font-weight:700&quot;&gt;bold: learned (loss)&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:%1&quot;&gt;灰色：只读入，不计损失&lt;/span&gt; · &lt;span style=&quot;color:%2; font-weight:700&quot;&gt;粗体：学习内容（计损失）&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Max length:</source>
        <translation>最大长度：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a model on the Model page to see a row as its tokenizer reads it.</source>
        <translation>在“模型”页面选择一个模型，即可查看其分词器读取某一行的样子。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens, %2 learned</source>
        <translation>%1 个词元，其中 %2 个参与学习</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no answer within the max length: training skips this row</source>
        <translation>最大长度内没有回答：训练会跳过这一行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cut to the max length</source>
        <translation>已截断到最大长度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the studio&apos;s chat template (the tokenizer has none)</source>
        <translation>使用本工具的对话模板（分词器没有自带模板）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>training joins rows into blocks of the max length</source>
        <translation>训练时会把各行拼接成最大长度的块</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <location filename="../../studio/ui/export/result.py" line="+38"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verification</source>
        <translation>校验</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Adapter exported</source>
        <translation>适配器已导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merged model exported</source>
        <translation>合并模型已导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Combined adapter exported</source>
        <translation>合并后的适配器已导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>and {count} more</source>
        <translation>以及另外 {count} 个</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not verified (verification was switched off)</source>
        <translation>未校验（已关闭校验）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Failed: the export did not reload: {error}</source>
        <translation>失败：导出结果无法重新加载：{error}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Passed: max |logit difference| {diff} ≤ tolerance {tol}</source>
        <translation>通过：最大 |logit 差值| {diff} ≤ 容差 {tol}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>FAILED: max |logit difference| {diff} &gt; tolerance {tol}</source>
        <translation>失败：最大 |logit 差值| {diff} &gt; 容差 {tol}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{dtype}, {samples} samples, {seconds} s</source>
        <translation>{dtype}，{samples} 个样本，{seconds} 秒</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No export folder</source>
        <translation>没有导出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder {folder} does not exist (any more).</source>
        <translation>文件夹 {folder} 不存在（或已被删除）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No file manager opened {folder}.</source>
        <translation>没有文件管理器能打开 {folder}。</translation>
    </message>
</context>
<context>
    <name>RunActions</name>
    <message>
        <location filename="../../studio/ui/runs/actions.py" line="+35"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename the run (F2)</source>
        <translation>重命名运行（F2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the selected runs (Del)</source>
        <translation>删除所选运行（Del）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open output folder</source>
        <translation>打开输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export run file…</source>
        <translation>导出运行文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the run&apos;s settings as a run file for peft-studio train</source>
        <translation>将该运行的设置保存为运行文件，供 peft-studio train 使用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the run&apos;s adapter or a merged model on the Export page</source>
        <translation>在“导出”页导出该运行的适配器或合并模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open in Playground</source>
        <translation>在试用页打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat with the run&apos;s adapter on the Playground page (its base model and adapter chosen; a full fine-tune is chosen as the base model)</source>
        <translation>在试用页面与该运行的适配器对话（已选好基座模型和适配器；全量微调的结果作为基座模型选中）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score the run on a held-out data file (metrics, confusion matrix, predictions)</source>
        <translation>在留出数据文件上为运行打分（指标、混淆矩阵、预测）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Serve…</source>
        <translation>提供服务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serve the selected runs&apos; adapters (one base model) over an OpenAI-compatible API on this computer</source>
        <translation>在本机通过 OpenAI 兼容 API 提供所选运行的适配器（同一基础模型）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Continue from the checkpoint at step {step}</source>
        <translation>从第 {step} 步的检查点继续</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No checkpoint: the run starts again from step 0</source>
        <translation>没有检查点：运行将从第 0 步重新开始</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the run from its last checkpoint</source>
        <translation>从最近的检查点继续该运行</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Cannot delete a running run</source>
        <translation>无法删除正在进行的运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{name}” is still training. Stop it first, then delete it.</source>
        <translation>“{name}”仍在训练。请先停止，再删除。</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>Deleted %n run(s).</source>
        <translation>
            <numerusform>已删除 %n 个运行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No output folder</source>
        <translation>没有输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The output folder {folder} does not exist (any more).</source>
        <translation>输出文件夹 {folder} 不存在（或已被删除）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No file manager opened {folder}.</source>
        <translation>没有文件管理器能打开 {folder}。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export run file</source>
        <translation>导出运行文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run files (*.yaml *.yml)</source>
        <translation>运行文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Run file written to {path}</source>
        <translation>运行文件已写入 {path}</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <location filename="../../studio/ui/export/output.py" line="-124"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the export; nothing is left behind</source>
        <translation>停止导出；不会留下任何文件</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starting the export process…</source>
        <translation>正在启动导出进程…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking</source>
        <translation>正在检查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merging</source>
        <translation>正在合并</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Writing</source>
        <translation>正在写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verifying</source>
        <translation>正在校验</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{stage} {current} of {total}</source>
        <translation>{stage} {current} / {total}</translation>
    </message>
</context>
<context>
    <name>RunDetailsView</name>
    <message>
        <location filename="../../studio/ui/runs/details.py" line="+151"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Final</source>
        <translation>最终值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Best</source>
        <translation>最佳值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Best at step</source>
        <translation>最佳值所在步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exports</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Select a run to see its config, metrics and checkpoints.</source>
        <translation>选择一个运行以查看其配置、指标和检查点。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The run failed without a message.</source>
        <translation>运行失败，且没有错误信息。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Technical details (for a bug report):</source>
        <translation>技术细节（用于报告问题）：</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{trainable:,} of {total:,} parameters trained ({pct:.2f}%)</source>
        <translation>训练了 {total:,} 个参数中的 {trainable:,} 个（{pct:.2f}%）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Output: {folder}</source>
        <translation>输出：{folder}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{workers} workers on {hosts} hosts ({names}, port {port})</source>
        <translation>{workers} 个工作进程，分布在 {hosts} 台主机上（{names}，端口 {port}）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{workers} workers on one host</source>
        <translation>{workers} 个工作进程，位于同一台主机</translation>
    </message>
</context>
<context>
    <name>RunFilePanel</name>
    <message>
        <location filename="../../studio/ui/train/runfile.py" line="+49"/>
        <source>Copy run file</source>
        <translation>复制运行文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy command</source>
        <translation>复制命令</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save run file…</source>
        <translation>保存运行文件…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Saved as %1. The same run without the window:</source>
        <translation>已保存为 %1。无需窗口运行同样的训练：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The forms changed since %1 was saved; save again, then run it without the window:</source>
        <translation>保存 %1 之后表单已更改；请重新保存，然后无需窗口运行：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the run file, then run the same training without the window:</source>
        <translation>保存运行文件后，即可无需窗口运行同样的训练：</translation>
    </message>
</context>
<context>
    <name>RunMonitor</name>
    <message>
        <location filename="../../studio/ui/train/monitor.py" line="+49"/>
        <source>Evaluations, checkpoints and messages of the run appear here.</source>
        <translation>运行的评估、检查点和消息会显示在这里。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Finished (%1) at step %2</source>
        <translation>已于第 %2 步结束（%1）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the training process ended</source>
        <translation>训练进程已结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped at step %1 — Resume continues from the latest checkpoint</source>
        <translation>已在第 %1 步停止 — “恢复”会从最新的检查点继续</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>starting</source>
        <translation>启动中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>worker %1: %2</source>
        <translation>进程 %1：%2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lr %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
</context>
<context>
    <name>RunProgress</name>
    <message>
        <location line="-267"/>
        <source>Not running</source>
        <translation>未在运行</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>epoch %1</source>
        <translation>轮次 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ETA %1</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <location filename="../../studio/ui/runs/model.py" line="+44"/>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early stopped</source>
        <translation>已早停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <location filename="../../studio/ui/runs/page.py" line="+89"/>
        <source>No runs yet — start one on the Train page or with &lt;code&gt;peft-studio train run.yaml&lt;/code&gt;.</source>
        <translation>还没有运行记录 — 请在“训练”页开始训练，或使用 &lt;code&gt;peft-studio train run.yaml&lt;/code&gt;。</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluations</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+106"/>
        <location line="+31"/>
        <source>Could not read the run history</source>
        <translation>无法读取运行记录</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Some runs could not be read</source>
        <translation>部分运行记录无法读取</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Could not read the run</source>
        <translation>无法读取该运行</translation>
    </message>
    <message>
        <location filename="../../studio/ui/runs/jobs.py" line="+161"/>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The run “{name}” ({id}) is still training; stop it before deleting it.</source>
        <translation>运行“{name}”（{id}）仍在训练；请先停止，再删除。</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <location filename="../../studio/ui/runs/model.py" line="+124"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Final metric</source>
        <translation>最终指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Run {id}
Output: {folder}</source>
        <translation>运行 {id}
输出：{folder}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>SampleTableModel</name>
    <message>
        <location filename="../../studio/ui/data/samples.py" line="+118"/>
        <source>Read as the %1 column</source>
        <translation>作为 %1 列读取</translation>
    </message>
</context>
<context>
    <name>SamplingBox</name>
    <message>
        <location filename="../../studio/ui/playground/sampling.py" line="+20"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Greedy (always the likeliest token)</source>
        <translation>贪心解码（总是选择概率最高的 token）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Max new tokens</source>
        <translation>最大新 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
</context>
<context>
    <name>Seq2seqTab</name>
    <message>
        <location filename="../../studio/ui/playground/seq2seqtab.py" line="+17"/>
        <source>Input text (for example: translate English to German: …)</source>
        <translation>输入文本（例如：translate English to German: …）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>ServePanel</name>
    <message>
        <location filename="../../studio/ui/serve/panel.py" line="+64"/>
        <source>Serve</source>
        <translation>提供服务</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>An OpenAI-compatible API for the base model and adapters, on this computer only. Programs use each adapter by its name as the model. Closing this window stops the server.</source>
        <translation>为基础模型和适配器提供 OpenAI 兼容 API，仅限本机访问。程序以适配器名称作为模型名使用它。关闭此窗口会停止服务器。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When set, clients must send it as &apos;Authorization: Bearer KEY&apos;</source>
        <translation>设置后，客户端必须以 “Authorization: Bearer KEY” 发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Serving:</source>
        <translation>服务内容：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Requests that may wait while the model answers another; beyond that the server answers 503 (busy, try again later)</source>
        <translation>模型回答一个请求时可排队等待的请求数；超出后服务器返回 503（繁忙，请稍后重试）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Queue:</source>
        <translation>队列：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Examples for this server appear here once it is running.</source>
        <translation>服务器运行后，这里会显示调用示例。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Copy example</source>
        <translation>复制示例</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>base model {name}</source>
        <translation>基础模型 {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>adapters {names}</source>
        <translation>适配器 {names}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Loading: {stage}</source>
        <translation>正在加载：{stage}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The API server is listening at {url}</source>
        <translation>API 服务器正在监听 {url}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The client disconnected; its answer was stopped</source>
        <translation>客户端已断开连接；其回答已停止</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>prompt + answer tokens; the answer ended: {reason}</source>
        <translation>提示 + 回答的词元数；回答结束原因：{reason}</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Running: programs on this computer can use the address below.</source>
        <translation>运行中：本机上的程序可以使用下面的地址。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{request} (streamed)</source>
        <translation>{request}（流式）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The request was refused: the answer names the field</source>
        <translation>请求被拒绝：响应中指明了出错的字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The API key was missing or wrong</source>
        <translation>缺少 API 密钥或密钥错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model of that name is served here</source>
        <translation>此服务器没有提供该名称的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server failed on this request; it keeps running</source>
        <translation>服务器处理此请求时出错；服务器仍在运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The queue was full; the client was told when to try again</source>
        <translation>队列已满；已告知客户端何时重试</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{ms} ms</source>
        <translation>{ms} 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Requests: {total}, errors: {failed}</source>
        <translation>请求：{total}，出错：{failed}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Requests: {total}</source>
        <translation>请求：{total}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server stopped: {error}</source>
        <translation>服务器已停止：{error}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../../studio/ui/playground/sidepanel.py" line="+51"/>
        <source>Loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+113"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model folder or hub id</source>
        <translation>模型文件夹或 Hub ID</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where the model runs; a change takes effect at the next Load.</source>
        <translation>模型运行的位置；更改在下次“加载”时生效。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Adapters</source>
        <translation>适配器</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add from run…</source>
        <translation>从运行添加…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing loaded yet.</source>
        <translation>尚未加载任何模型。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Serve…</source>
        <translation>提供服务…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Serve this base model and these adapters over an OpenAI-compatible API on this computer</source>
        <translation>在本机通过 OpenAI 兼容 API 提供此基础模型和这些适配器</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>not available on this machine</source>
        <translation>本机不可用</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt;b&gt;Base:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;基座：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Task:&lt;/b&gt; %1 · &lt;b&gt;device:&lt;/b&gt; %2 · %3</source>
        <translation>&lt;b&gt;任务：&lt;/b&gt;%1 · &lt;b&gt;设备：&lt;/b&gt;%2 · %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;Parameters:&lt;/b&gt; %1 (+%2 in adapters)</source>
        <translation>&lt;b&gt;参数量：&lt;/b&gt;%1（适配器另有 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;Memory:&lt;/b&gt; about %1</source>
        <translation>&lt;b&gt;内存：&lt;/b&gt;约 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No adapters: answers come from the base model.</source>
        <translation>没有适配器：回答来自基座模型。</translation>
    </message>
</context>
<context>
    <name>SourcePicker</name>
    <message>
        <location filename="../../studio/ui/export/source.py" line="+46"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The run&apos;s final result, or one of its checkpoints</source>
        <translation>运行的最终结果，或其某个检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse folder…</source>
        <translation>浏览文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export an adapter folder that is not a run of the studio</source>
        <translation>导出不属于本工具运行记录的适配器文件夹</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+49"/>
        <source>Folder: {name}</source>
        <translation>文件夹：{name}</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Choose an adapter folder</source>
        <translation>选择适配器文件夹</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No finished runs yet: browse for a folder</source>
        <translation>还没有已完成的运行：请浏览选择文件夹</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not read the run history</source>
        <translation>无法读取运行记录</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Final result</source>
        <translation>最终结果</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checkpoint at step {step}</source>
        <translation>第 {step} 步的检查点</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>PEFT adapter ({type})</source>
        <translation>PEFT 适配器（{type}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BitFit bias patch</source>
        <translation>BitFit 偏置补丁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole model (full fine-tuning)</source>
        <translation>完整模型（全参数微调）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>rank {ranks}</source>
        <translation>秩 {ranks}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>checkpoint at step {step}</source>
        <translation>第 {step} 步的检查点</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <location filename="../../studio/ui/model/targets.py" line="+61"/>
        <source>Regular expression, e.g. .*\.(q_proj|v_proj)</source>
        <translation>正则表达式，例如 .*\.(q_proj|v_proj)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+173"/>
        <source>Use default</source>
        <translation>使用默认值</translation>
    </message>
    <message>
        <location line="-169"/>
        <source>Target modules:</source>
        <translation>目标模块：</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Not a valid regular expression: %1</source>
        <translation>不是有效的正则表达式：%1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Matched against each module&apos;s full name, as peft does; the matching modules are checked as you type.</source>
        <translation>与 peft 相同，按每个模块的完整名称匹配；输入时会实时勾选匹配的模块。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Use default for %1</source>
        <translation>使用 %1 的默认值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Let the method pick its usual modules for this family: %1</source>
        <translation>由方法为该模型系列选择常用模块：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peft has no default for this model: choose modules in the tree.</source>
        <translation>peft 没有为该模型提供默认值：请在模块树中选择模块。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 does not use target modules.</source>
        <translation>%1 不使用目标模块。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>family default (%1)</source>
        <translation>模型系列默认值（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>family default</source>
        <translation>模型系列默认值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>regular expression %1</source>
        <translation>正则表达式 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Targets: %1</source>
        <translation>目标：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 module matched</source>
        <translation>匹配到 1 个模块</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 modules matched</source>
        <translation>匹配到 %1 个模块</translation>
    </message>
</context>
<context>
    <name>TokenLengthJob</name>
    <message>
        <location filename="../../studio/ui/data/tokens.py" line="+86"/>
        <source>Could not start %1 to count tokens.</source>
        <translation>无法启动 %1 来统计 token 数。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>exit code %1</source>
        <translation>退出码 %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The token counter printed no result.</source>
        <translation>Token 计数程序没有输出结果。</translation>
    </message>
</context>
<context>
    <name>ToolsEditor</name>
    <message>
        <location filename="../../studio/ui/playground/toolseditor.py" line="+38"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>JSON list of function definitions the model may call (optional)</source>
        <translation>模型可调用的函数定义，JSON 列表（可选）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OpenAI-style function definitions: [{&quot;type&quot;: &quot;function&quot;, &quot;function&quot;: {&quot;name&quot;: ..., &quot;description&quot;: ..., &quot;parameters&quot;: {JSON Schema}}}]. They are rendered into the prompt by the model&apos;s chat template, as in training.</source>
        <translation>OpenAI 风格的函数定义：[{&quot;type&quot;: &quot;function&quot;, &quot;function&quot;: {&quot;name&quot;: ..., &quot;description&quot;: ..., &quot;parameters&quot;: {JSON Schema}}}]。它们由模型的聊天模板渲染进提示词，与训练时相同。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Insert example</source>
        <translation>插入示例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A get_weather function, to start from</source>
        <translation>一个 get_weather 函数，可以从它开始</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Valid: %1</source>
        <translation>有效：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No tools.</source>
        <translation>没有工具。</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <location filename="../../studio/ui/train/page.py" line="+112"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PEFT method</source>
        <translation>PEFT 方法</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Detect from model and data</source>
        <translation>根据模型和数据检测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Causal language modelling</source>
        <translation>因果语言建模</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence to sequence</source>
        <translation>序列到序列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sequence classification</source>
        <translation>序列分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token classification</source>
        <translation>词元分类</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shown on the Runs page; empty uses the run id.</source>
        <translation>显示在“运行记录”页；留空则使用运行 ID。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the model learns; detected from the model and the data format unless set.</source>
        <translation>模型要学习的任务；未设置时根据模型和数据格式自动检测。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+297"/>
        <source>Start training (Ctrl+Return)</source>
        <translation>开始训练（Ctrl+Return）</translation>
    </message>
    <message>
        <location line="-296"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save a checkpoint and stop (Ctrl+.)</source>
        <translation>保存检查点并停止（Ctrl+.）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the last run from its latest checkpoint</source>
        <translation>从最新的检查点继续上次运行</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run file</source>
        <translation>运行文件</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Could not ask MindSpore which devices exist: %1</source>
        <translation>无法向 MindSpore 查询可用设备：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not available on this machine</source>
        <translation>本机不可用</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>this model cannot do this task</source>
        <translation>该模型不支持此任务</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Fix this problem before starting:</source>
        <translation>开始前请修复此问题：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix these %1 problems before starting:</source>
        <translation>开始前请修复以下 %1 个问题：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready to start.</source>
        <translation>可以开始。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>no model chosen (Model page)</source>
        <translation>未选择模型（模型页）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no dataset chosen (Data page)</source>
        <translation>未选择数据集（数据页）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model: %1
Data: %2</source>
        <translation>模型：%1
数据：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fix the problems listed first</source>
        <translation>请先修复列出的问题</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Stopping: the run saves a checkpoint and exits…</source>
        <translation>正在停止：运行将保存检查点后退出…</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Save run file</source>
        <translation>保存运行文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run files (*.yaml *.yml)</source>
        <translation>运行文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not save the run file</source>
        <translation>无法保存运行文件</translation>
    </message>
</context>
<context>
    <name>TrainingForm</name>
    <message>
        <location filename="../../studio/ui/train/training_form.py" line="+39"/>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>off (train for the epochs)</source>
        <translation>关闭（按轮数训练）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Linear decay</source>
        <translation>线性衰减</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Constant</source>
        <translation>常数</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>each epoch</source>
        <translation>每轮</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+5"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>keep all</source>
        <translation>全部保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>same as training</source>
        <translation>与训练相同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passes over the training data.</source>
        <translation>遍历训练数据的次数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after this many optimizer steps; overrides the epochs when set.</source>
        <translation>达到该优化器步数后停止；设置后会覆盖训练轮数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Examples per forward pass.</source>
        <translation>每次前向传播的样本数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward passes per optimizer step; the effective batch is batch size times this.</source>
        <translation>每个优化器步的前向传播次数；有效批大小为批大小乘以该值。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak learning rate, e.g. 1e-4 to 1e-3 for adapters, 1e-5 for full fine-tuning. Scientific notation is accepted.</source>
        <translation>峰值学习率，例如适配器用 1e-4 到 1e-3，全参数微调用 1e-5。支持科学计数法。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the learning rate changes after warm-up.</source>
        <translation>预热之后学习率的变化方式。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up steps</source>
        <translation>预热步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps over which the learning rate rises from zero.</source>
        <translation>学习率从零升到峰值所用的步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per example; longer examples are cut.</source>
        <translation>每个样本的 token 数；更长的样本会被截断。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate every</source>
        <translation>评估间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps between evaluations on the validation split.</source>
        <translation>两次在验证集上评估之间的步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoint every</source>
        <translation>检查点间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps between checkpoints; Stop and Resume use the latest one.</source>
        <translation>两次保存检查点之间的步数；停止和恢复时使用最新的检查点。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision of the base weights; adapters always train in float32.</source>
        <translation>基座模型权重的精度；适配器始终以 float32 训练。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up ratio</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fraction of the steps used for warm-up when warm-up steps is 0.</source>
        <translation>预热步数为 0 时，用于预热的步数比例。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AdamW weight decay.</source>
        <translation>AdamW 权重衰减。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clip the gradient norm to this value; 0 turns clipping off.</source>
        <translation>将梯度范数裁剪到该值；0 表示不裁剪。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log every</source>
        <translation>日志间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps between progress reports (chart points).</source>
        <translation>两次报告进度（图表数据点）之间的步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints kept</source>
        <translation>保留检查点数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many of the latest checkpoints to keep.</source>
        <translation>保留最近多少个检查点。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eval batch size</source>
        <translation>评估批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Examples per evaluation batch.</source>
        <translation>每个评估批次的样本数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Early stopping</source>
        <translation>早停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after this many evaluations without improvement.</source>
        <translation>连续这么多次评估没有改善时停止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Watched metric</source>
        <translation>监控指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The metric early stopping watches.</source>
        <translation>早停所监控的指标。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min improvement</source>
        <translation>最小改善量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smallest change that counts as an improvement.</source>
        <translation>视为改善的最小变化量。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Random seed for initialisation and data order.</source>
        <translation>用于初始化和数据顺序的随机种子。</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <location filename="../../workers/training.py" line="+289"/>
        <source>The training process did not exit in time; killing it.</source>
        <translation>训练进程未能及时退出；正在强制结束。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../studio/app.py" line="+100"/>
        <source>PEFT Studio hit a bug</source>
        <translation>PEFT Studio 遇到了错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something unexpected went wrong:</source>
        <translation>发生了意外错误：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You can keep working. If the window misbehaves, save your run file and restart. A running training is not affected: it runs in its own process. The details below help to report the problem.</source>
        <translation>你可以继续工作。如果窗口行为异常，请保存运行文件后重启。正在进行的训练不受影响：它在独立的进程中运行。下方的详细信息有助于报告该问题。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep working</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <location filename="../../studio/ui/i18n_sources.py" line="+138"/>
        <source>{field}: {message}</source>
        <translation>{field}：{message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {message} (expected {expected})</source>
        <translation>{field}：{message}（应为 {expected}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {message} (found {found})</source>
        <translation>{field}：{message}（实际为 {found}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {message} (expected {expected}, found {found})</source>
        <translation>{field}：{message}（应为 {expected}，实际为 {found}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}: {detail}</source>
        <translation>{where}：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}, row {row}: {detail}</source>
        <translation>{where}，第 {row} 行：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}, column &apos;{column}&apos;: {detail}</source>
        <translation>{where}，列“{column}”：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}, row {row}, column &apos;{column}&apos;: {detail}</source>
        <translation>{where}，第 {row} 行，列“{column}”：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown format</source>
        <translation>未知格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown file type</source>
        <translation>未知文件类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a data file or folder</source>
        <translation>数据文件或文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>column &apos;{column}&apos;: {detail}</source>
        <translation>列“{column}”：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line {number}, column &apos;{column}&apos;: {detail}</source>
        <translation>第 {number} 行，列“{column}”：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line {number}: {detail}</source>
        <translation>第 {number} 行：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>row {number}, column &apos;{column}&apos;: {detail}</source>
        <translation>第 {number} 行，列“{column}”：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>row {number}: {detail}</source>
        <translation>第 {number} 行：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty or non-scalar label in column &apos;{column}&apos;</source>
        <translation>列“{column}”中的标签为空或不是单个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot decode byte 0x{byte:02x} as {encoding}; set dataset.encoding to the file&apos;s encoding (for example latin-1, cp1252 or gbk)</source>
        <translation>无法按 {encoding} 解码字节 0x{byte:02x}；请将 dataset.encoding 设为文件的实际编码（例如 latin-1、cp1252 或 gbk）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cannot read {name}: {error}</source>
        <translation>无法读取 {name}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the file: {error}</source>
        <translation>无法读取该文件：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot tell the data format of {file} from its columns</source>
        <translation>无法根据列判断 {file} 的数据格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a column named like {names}, or set {role}</source>
        <translation>名称类似 {names} 的列，或设置 {role}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>column &apos;{name}&apos; not found in {file}</source>
        <translation>在 {file} 中找不到列“{name}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset_dict.json lists no splits</source>
        <translation>dataset_dict.json 中没有列出任何数据划分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the dataset has no rows</source>
        <translation>数据集中没有任何行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the delimiter must be one character, got {delimiter}</source>
        <translation>分隔符必须是单个字符，实际为 {delimiter}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>has duplicates</source>
        <translation>有重复项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty tag</source>
        <translation>标签为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty value</source>
        <translation>值为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is {name} {row}, expected a JSON object such as {{&quot;text&quot;: ...}}</source>
        <translation>是 {name} {row}，应为 JSON 对象，例如 {{&quot;text&quot;: ...}}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected a list of objects, or an object holding that list under a key such as &quot;data&quot;</source>
        <translation>应为对象列表，或在某个键（例如 &quot;data&quot;）下包含该列表的对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>2 or more</source>
        <translation>2 个或更多</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{fault} at {where}</source>
        <translation>{fault}：{where}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{fault} in column &apos;{column}&apos;</source>
        <translation>列“{column}”中{fault}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file has a header line but no data rows</source>
        <translation>文件只有表头行，没有数据行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file has no rows</source>
        <translation>文件中没有任何行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the first line has {count} fields</source>
        <translation>第一行有 {count} 个字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a folder, but not a datasets save_to_disk folder (no state.json, dataset_info.json or dataset_dict.json)</source>
        <translation>这是一个文件夹，但不是 datasets 的 save_to_disk 文件夹（没有 state.json、dataset_info.json 或 dataset_dict.json）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is a folder; expected a {kind} file</source>
        <translation>是一个文件夹；应为 {kind} 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a fraction from 0 up to (not including) 1</source>
        <translation>0 到 1 之间的比例（不含 1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the header has {count} columns: {names}</source>
        <translation>表头有 {count} 列：{names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chat data trains causal_lm</source>
        <translation>对话数据用于训练 causal_lm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>classification data trains seq_cls, or seq2seq with the label word as target</source>
        <translation>分类数据用于训练 seq_cls，或以标签词为目标训练 seq2seq</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>plain text trains causal_lm</source>
        <translation>纯文本用于训练 causal_lm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens with tags train token_cls</source>
        <translation>带标签的词元用于训练 token_cls</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>holds {found} data but the training file holds {expected} data</source>
        <translation>包含的是 {found} 数据，而训练文件包含的是 {expected} 数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line {numbers} of {file}</source>
        <translation>{file} 的第 {numbers} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lines {numbers} of {file}</source>
        <translation>{file} 的第 {numbers} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lines {numbers} and {more} more of {file}</source>
        <translation>{file} 的第 {numbers} 行及另外 {more} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>row {numbers} of {file}</source>
        <translation>{file} 的第 {numbers} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rows {numbers} of {file}</source>
        <translation>{file} 的第 {numbers} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rows {numbers} and {more} more of {file}</source>
        <translation>{file} 的第 {numbers} 行及另外 {more} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inconsistent columns: fields {keys} share none with the first row&apos;s {first_keys}</source>
        <translation>列不一致：字段 {keys} 与第一行的字段 {first_keys} 没有任何相同项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>inconsistent columns: {found} fields where {expected} were expected ({header_note}); values that contain the delimiter {shown} must be quoted</source>
        <translation>列不一致：有 {found} 个字段，应为 {expected} 个（{header_note}）；包含分隔符 {shown} 的值必须加引号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the JSON holds no rows</source>
        <translation>该 JSON 中没有任何行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be at least 1</source>
        <translation>必须至少为 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no Arrow data files in the folder (expected a datasets save_to_disk folder)</source>
        <translation>文件夹中没有 Arrow 数据文件（应为 datasets 的 save_to_disk 文件夹）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no assistant message to learn from</source>
        <translation>没有可供学习的助手消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no {role} column for {fmt} data in {file}</source>
        <translation>{file} 中没有 {fmt} 数据所需的 {role} 列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no data file given (dataset.path is empty)</source>
        <translation>未指定数据文件（dataset.path 为空）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no data rows: the file has only blank or comment (#) lines</source>
        <translation>没有数据行：文件中只有空行或注释（#）行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no training examples left ({rows} rows, {dropped} dropped with no target tokens within max_length {max_length})</source>
        <translation>没有剩余的训练样本（共 {rows} 行，其中 {dropped} 行在 max_length {max_length} 以内没有目标词元而被丢弃）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{format} data does not fit task {task}</source>
        <translation>{format} 数据不适用于 {task} 任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{format} data does not fit task {task}; {hint}</source>
        <translation>{format} 数据不适用于 {task} 任务；{hint}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not in dataset.labels</source>
        <translation>不在 dataset.labels 中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not in the training data</source>
        <translation>不在训练数据中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a readable Arrow file: {error}</source>
        <translation>不是可读取的 Arrow 文件：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a readable Parquet file: {error}</source>
        <translation>不是可读取的 Parquet 文件：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a {kind} where text was expected</source>
        <translation>应为文本，实际为 {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not valid JSON: {detail} (column {colno})</source>
        <translation>不是有效的 JSON：{detail}（第 {colno} 列）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of range</source>
        <translation>超出范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>column &apos;{column}&apos; must hold one tag per word</source>
        <translation>列“{column}”必须为每个词提供一个标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>column &apos;{column}&apos; must hold a non-empty list of words</source>
        <translation>列“{column}”必须是非空的词列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>classification needs at least 2 distinct labels; column &apos;{column}&apos; of {file} has {distinct}</source>
        <translation>分类至少需要 2 个不同的标签；{file} 的列“{column}”只有 {distinct} 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown encoding {encoding} in dataset.encoding</source>
        <translation>dataset.encoding 中的编码 {encoding} 未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown file type {kind} (dataset.file_type)</source>
        <translation>未知文件类型 {kind}（dataset.file_type）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown label &apos;{value}&apos; ({reason})</source>
        <translation>未知标签“{value}”（{reason}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown tag &apos;{value}&apos; ({reason})</source>
        <translation>未知标注“{value}”（{reason}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown task {task} (expected one of {tasks})</source>
        <translation>未知任务 {task}（应为以下之一：{tasks}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the validation file holds different data than the training file</source>
        <translation>验证文件中的数据与训练文件的数据类型不同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>set dataset.format ({formats}) and the column fields</source>
        <translation>设置 dataset.format（{formats}）以及各列对应的字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected a non-empty list of messages</source>
        <translation>应为非空的消息列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>history must be a list of [question, answer] pairs of text</source>
        <translation>history 必须是由 [问题, 回答] 文本对组成的列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alpaca or sharegpt</source>
        <translation>alpaca 或 sharegpt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}: the arguments of tool call &apos;{name}&apos; are {kind}, expected an object</source>
        <translation>{where}：工具调用“{name}”的参数是 {kind}，应为对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot tokenise: {kind}: {error}</source>
        <translation>无法分词：{kind}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has a content part without text: {part}</source>
        <translation>{where}中有一个没有文本的内容片段：{part}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has content of type {kind}, expected text or a list of text parts</source>
        <translation>{where}的内容类型为 {kind}，应为文本或文本片段列表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dataset &apos;{name}&apos;: columns and tags must be mappings</source>
        <translation>数据集“{name}”：columns 和 tags 必须是映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset &apos;{name}&apos; has formatting {formatting}</source>
        <translation>数据集“{name}”的 formatting 为 {formatting}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset &apos;{name}&apos; is not a local file ({source}); PEFT Studio reads the files of the folder</source>
        <translation>数据集“{name}”不是本地文件（{source}）；PEFT Studio 只读取该文件夹中的文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dataset &apos;{name}&apos; has {media}; PEFT Studio trains on text only</source>
        <translation>数据集“{name}”包含 {media}；PEFT Studio 只训练文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dataset &apos;{name}&apos; is preference data (ranking: true, chosen and rejected answers), for preference training such as DPO; PEFT Studio trains supervised fine-tuning, on one answer per example. To train on the preferred answers, set {how}</source>
        <translation>数据集“{name}”是偏好数据（ranking: true，含被选中和被拒绝的回答），用于 DPO 等偏好训练；PEFT Studio 进行的是监督微调，每个样本只用一个回答。若要用被选中的回答训练，请设置 {how}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>an entry with a file_name</source>
        <translation>带有 file_name 的条目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} is {kind}, expected an object</source>
        <translation>{where}是 {kind}，应为对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a folder holding {catalog}, or no dataset.name</source>
        <translation>包含 {catalog} 的文件夹，或不设置 dataset.name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} holds preference data (columns &apos;{chosen}&apos; and &apos;{rejected}&apos;), for preference training such as DPO; PEFT Studio trains supervised fine-tuning, on one answer per example. To train on the preferred answers, set {mapping}</source>
        <translation>{name} 包含偏好数据（列“{chosen}”和“{rejected}”），用于 DPO 等偏好训练；PEFT Studio 进行的是监督微调，每个样本只用一个回答。若要用被选中的回答训练，请设置 {mapping}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>message {number}</source>
        <translation>第 {number} 条消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} is a {role} message with a weight; only assistant messages take one</source>
        <translation>{where}是带权重的 {role} 消息；只有助手消息可以带权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>missing: {folder} holds a {catalog} with {count} datasets; choose one by name (--name on the command line)</source>
        <translation>缺失：{folder} 中的 {catalog} 包含 {count} 个数据集；请按名称选择其中一个（命令行中用 --name）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no answer in column &apos;{column}&apos;</source>
        <translation>列“{column}”中没有回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} ({role}) has no content</source>
        <translation>{where}（{role}）没有内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has no content</source>
        <translation>{where}没有内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no dataset named &apos;{name}&apos; in {info}</source>
        <translation>{info} 中没有名为“{name}”的数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no line {number}; the data is on lines {first} to {last}</source>
        <translation>没有第 {number} 行；数据位于第 {first} 到 {last} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no row {number}; the data is on rows {first} to {last}</source>
        <translation>没有第 {number} 行；数据位于第 {first} 到 {last} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}: not valid JSON in {what} ({detail})</source>
        <translation>{where}：{what} 不是有效的 JSON（{detail}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one of {names}</source>
        <translation>以下之一：{names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has a {kind} part; only text parts can be trained</source>
        <translation>{where}中有 {kind} 片段；只有文本片段可以训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has role {role}, expected one of user, assistant, system, tool (or human, gpt, function_call, observation)</source>
        <translation>{where}的角色为 {role}，应为 user、assistant、system、tool（或 human、gpt、function_call、observation）之一</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is set, but {value} is not a folder with a {catalog}</source>
        <translation>已设置，但 {value} 不是包含 {catalog} 的文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}: a tool call is {kind}, expected an object with a name and arguments</source>
        <translation>{where}：工具调用是 {kind}，应为带有 name 和 arguments 的对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{where}: a tool call has no name: {item}</source>
        <translation>{where}：工具调用没有名称：{item}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}: tool_calls is {kind}, expected a list</source>
        <translation>{where}：tool_calls 是 {kind}，应为列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a tool has no name: {item}</source>
        <translation>有一个工具没有名称：{item}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tools are {kind}, expected a list of function schemas</source>
        <translation>tools 是 {kind}，应为函数模式（schema）列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the tools are not valid JSON ({detail})</source>
        <translation>tools 不是有效的 JSON（{detail}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown keys</source>
        <translation>未知的键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has weight {weight}, expected 0 (no loss) or 1</source>
        <translation>{where}的权重为 {weight}，应为 0（不计损失）或 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max_length must be at least 2</source>
        <translation>max_length 必须至少为 2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the chat template renders the whole conversation differently from its prefixes</source>
        <translation>对话模板渲染整段对话的结果与逐段前缀渲染的结果不一致</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the chat template does not render this conversation prefix by prefix, so the assistant turns cannot be found</source>
        <translation>对话模板无法逐段前缀地渲染此对话，因此找不到助手的回合</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the model&apos;s chat template does not render tool calls (it never reads &apos;tool_calls&apos;); use a model whose template supports them</source>
        <translation>模型的对话模板不会渲染工具调用（它从不读取“tool_calls”）；请使用模板支持工具调用的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the model&apos;s chat template does not render tools (it never reads &apos;tools&apos;); use a model whose template supports tool calling</source>
        <translation>模型的对话模板不会渲染工具（它从不读取“tools”）；请使用模板支持工具调用的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown label {value}</source>
        <translation>未知标签 {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{delimiter} cannot be the delimiter: it is the quote character or a line break</source>
        <translation>{delimiter} 不能作为分隔符：它是引号字符或换行符</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is {st_size}; data files are read into memory whole, and files over {max_data_bytes} are refused: split the file or keep a sample of it</source>
        <translation>大小为 {st_size}；数据文件会被整个读入内存，超过 {max_data_bytes} 的文件会被拒绝：请拆分文件或只保留一部分样本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>dataset_dict.json names the split &apos;{split}&apos;, but there is no datasets folder of that name inside</source>
        <translation>dataset_dict.json 列出了划分“{split}”，但其中没有同名的 datasets 文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dataset &apos;{name}&apos; names the file {shown}, which is not inside {folder}; the file was not read</source>
        <translation>数据集“{name}”指向文件 {shown}，它不在 {folder} 内；该文件未被读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a file_name inside the folder</source>
        <translation>文件夹内的 file_name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>holds {total} of data; data is read into memory whole, and more than {max_data_bytes} is refused: save a sample of it</source>
        <translation>包含 {total} 的数据；数据会被整个读入内存，超过 {max_data_bytes} 会被拒绝：请保存其中一部分样本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>holds NUL characters, so it is binary, not text (if it is UTF-16 text, set dataset.encoding to utf-16)</source>
        <translation>包含 NUL 字符，因此是二进制数据而不是文本（如果是 UTF-16 文本，请将 dataset.encoding 设为 utf-16）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{meta} names the {what} &apos;{name}&apos;, which leads outside the folder (a link); it was not read</source>
        <translation>{meta} 指向 {what}“{name}”，它通向文件夹之外（链接）；未被读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{meta} names the {what} {shown}, which is not a plain name inside the folder; the folder&apos;s metadata is damaged or was made to point elsewhere</source>
        <translation>{meta} 指向 {what} {shown}，它不是文件夹内的普通名称；该文件夹的元数据已损坏，或被设置为指向别处</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no data rows: every line is empty (a line holding only &quot;&quot; is an empty value)</source>
        <translation>没有数据行：每一行都是空的（只有 &quot;&quot; 的行是空值）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is not a JSON object (found {kind})</source>
        <translation>{name} 不是 JSON 对象（实际为 {kind}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is not a regular file (a pipe, socket or device); it was not opened, since reading it could wait forever</source>
        <translation>不是普通文件（管道、套接字或设备）；未打开它，因为读取可能会永远等待</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not valid JSON: {error}</source>
        <translation>不是有效的 JSON：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a split folder holds another dataset_dict.json; a split must be a datasets folder with state.json</source>
        <translation>划分文件夹中又有一个 dataset_dict.json；划分必须是包含 state.json 的 datasets 文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>state.json: _data_files is not a list</source>
        <translation>state.json：_data_files 不是列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>state.json names the data file &apos;{name}&apos;, which is missing</source>
        <translation>state.json 列出了数据文件“{name}”，但它不存在</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is too large to be datasets metadata</source>
        <translation>{name} 太大，不可能是 datasets 的元数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a text column next to the labels, such as text or sentence</source>
        <translation>与标签并列的文本列，例如 text 或 sentence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} holds only a label column ({columns}): there is no text to learn from</source>
        <translation>{file} 只有标签列（{columns}）：没有可供学习的文本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a class name or number</source>
        <translation>类别名称或数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a tag name or number</source>
        <translation>标注名称或数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NaN or infinite label in column &apos;{column}&apos;</source>
        <translation>列“{column}”中的标签为 NaN 或无穷大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the number {value} where text was expected</source>
        <translation>应为文本，实际为数字 {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NaN or infinite tag</source>
        <translation>标注为 NaN 或无穷大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NUL characters (binary data) in the text</source>
        <translation>文本中有 NUL 字符（二进制数据）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>file not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one of {choices}</source>
        <translation>以下之一：{choices}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be &gt;= {low}</source>
        <translation>必须 &gt;= {low}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be &gt; {low}</source>
        <translation>必须 &gt; {low}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be at least 0 and below 1</source>
        <translation>必须大于等于 0 且小于 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be &lt;= {high}</source>
        <translation>必须 &lt;= {high}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a valid choice</source>
        <translation>不是有效的选项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a valid regular expression ({error})</source>
        <translation>不是有效的正则表达式（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing</source>
        <translation>空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrong type</source>
        <translation>类型错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number</source>
        <translation>一个数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number</source>
        <translation>一个整数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a list of names</source>
        <translation>名称列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a list of module names or one regular expression</source>
        <translation>模块名称列表或一个正则表达式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a mapping of names to text</source>
        <translation>名称到文本的映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a list of names (text or numbers; quote true/false)</source>
        <translation>名称列表（文本或数字；true/false 需加引号）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read: {error}</source>
        <translation>无法读取：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not valid {kind}: {error}</source>
        <translation>不是有效的 {kind}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(run file)</source>
        <translation>（运行文件）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a mapping</source>
        <translation>必须是映射（键值对）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a mapping of sections</source>
        <translation>必须是由各部分组成的映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown field</source>
        <translation>未知字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown section</source>
        <translation>未知部分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a mapping with a name</source>
        <translation>必须是带有 name 的映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a method id, e.g. lora</source>
        <translation>方法标识，例如 lora</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at most {value} MiB</source>
        <translation>最多 {value} MiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is a folder, not a run file</source>
        <translation>是文件夹，不是运行文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is {value:.1f} MiB; a run file is a few kilobytes, so it was not read</source>
        <translation>大小为 {value:.1f} MiB；运行文件通常只有几 KB，因此未读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must be a finite number</source>
        <translation>必须是有限的数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is not a regular file (a pipe, socket or device), so it was not read</source>
        <translation>不是普通文件（管道、套接字或设备），因此未读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a valid run file: {where}{error}</source>
        <translation>不是有效的运行文件：{where}{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the path {fault}</source>
        <translation>路径{fault}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number that fits in 64 bits</source>
        <translation>能放进 64 位的整数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a .yaml, .yml or .json file</source>
        <translation>.yaml、.yml 或 .json 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown method &apos;{method}&apos;. Known methods: {known}.</source>
        <translation>未知方法“{method}”。已知方法：{known}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown method</source>
        <translation>未知方法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} is not offered for {task}: {reason}</source>
        <translation>{method} 不适用于 {task}：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it supports {tasks}</source>
        <translation>它支持 {tasks}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on T5/mT5 generation disagrees with the forward pass used in training</source>
        <translation>在 T5/mT5 上，生成结果与训练时的前向计算不一致</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the virtual tokens shift the token labels</source>
        <translation>虚拟词元会使词元标签错位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>peft&apos;s version cannot wrap GPT-2&apos;s Conv1D layers</source>
        <translation>当前 peft 版本无法包装 GPT-2 的 Conv1D 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a method for {task}</source>
        <translation>适用于 {task} 的方法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BitFit trains only bias terms, and this model ({family}) has none</source>
        <translation>BitFit 只训练偏置项，而此模型（{family}）没有偏置项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} supports {families}; this model is {family}</source>
        <translation>{method} 支持 {families}；此模型是 {family}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} supports {families}; this model is {family} ({reason})</source>
        <translation>{method} 支持 {families}；此模型是 {family}（{reason}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} takes no parameters</source>
        <translation>{method} 没有参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown parameter for {method}</source>
        <translation>{method} 没有此参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown parameter for {method}; did you mean &apos;{name}&apos;?</source>
        <translation>{method} 没有此参数；您是否想用“{name}”？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>set exactly one of r and oft_block_size to a non-zero value (the other follows from the layer width)</source>
        <translation>r 和 oft_block_size 中必须恰好有一个为非零值（另一个由层宽度推出）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>set exactly one of boft_block_size and boft_block_num to a non-zero value</source>
        <translation>boft_block_size 和 boft_block_num 中必须恰好有一个为非零值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must not exceed init_r (ranks only shrink)</source>
        <translation>不得超过 init_r（秩只会减小）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is needed when init is &apos;text&apos;</source>
        <translation>init 为“text”时必须填写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>some text, e.g. a description of the task</source>
        <translation>一段文本，例如对任务的描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a subset of target_modules</source>
        <translation>必须是 target_modules 的子集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>names from {names}</source>
        <translation>取自以下名称：{names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>matches no module of a {family} model</source>
        <translation>与 {family} 模型的任何模块都不匹配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>names such as {names}</source>
        <translation>例如 {names} 这样的名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exceeds the model&apos;s layers</source>
        <translation>超过了模型的层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tinit + tfinal must leave steps for reallocating ranks</source>
        <translation>tinit + tfinal 必须为重新分配秩留出步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tinit + tfinal &lt; {steps} (training.max_steps)</source>
        <translation>tinit + tfinal &lt; {steps}（即 training.max_steps）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AdaLoRA needs the total number of training steps before the model is built.</source>
        <translation>AdaLoRA 需要在构建模型之前知道训练总步数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AdaLoRA&apos;s tinit + tfinal must be smaller than the {total_steps} training steps of this run.</source>
        <translation>AdaLoRA 的 tinit + tfinal 必须小于本次运行的训练步数 {total_steps}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LLaMA-Adapter needs the model&apos;s number of layers when adapter_layers is not set.</source>
        <translation>未设置 adapter_layers 时，LLaMA-Adapter 需要知道模型的层数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt tuning from text needs the model&apos;s tokenizer folder.</source>
        <translation>用文本初始化的提示微调需要模型的分词器文件夹。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not be checked: {error}</source>
        <translation>无法检查：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number from 0 to {high}</source>
        <translation>0 到 {high} 之间的整数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a local model folder or a hub id such as org/name</source>
        <translation>本地模型文件夹，或形如 org/name 的 Hub 标识</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the folder has no tokenizer files, so its text cannot be encoded</source>
        <translation>该文件夹中没有分词器文件，因此无法对文本编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer.json or tokenizer_config.json next to config.json</source>
        <translation>与 config.json 同目录的 tokenizer.json 或 tokenizer_config.json</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown task</source>
        <translation>未知任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this model ({family}, {kind}) cannot do {task}</source>
        <translation>此模型（{family}，{kind}）无法执行 {task}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text generation</source>
        <translation>文本生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sequence-to-sequence generation</source>
        <translation>序列到序列生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sequence classification</source>
        <translation>序列分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token classification</source>
        <translation>词元分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} trains the base weights themselves, and float16 weights cannot be trained without loss scaling, which this stack lacks</source>
        <translation>{method} 会直接训练基础权重，而 float16 权重没有损失缩放就无法训练，当前运行环境不支持损失缩放</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must be between 0 and 1, exclusive</source>
        <translation>必须大于 0 且小于 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. 1e-4 to 1e-3 for adapters</source>
        <translation>例如适配器常用 1e-4 到 1e-3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown scheduler</source>
        <translation>未知的学习率调度器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown metric</source>
        <translation>未知指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accuracy is not measured for {task}</source>
        <translation>{task} 任务不计算准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>eval_loss or perplexity</source>
        <translation>eval_loss 或 perplexity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown precision</source>
        <translation>未知精度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>float32 or float16</source>
        <translation>float32 或 float16</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bfloat16 is refused on CPU: MindSpore 2.7 has no bfloat16 CPU kernels (Gather, MatMul); set device to gpu or ascend to use it</source>
        <translation>CPU 上不能使用 bfloat16：MindSpore 2.7 没有 bfloat16 的 CPU 算子（Gather、MatMul）；如需使用，请将 device 设为 gpu 或 ascend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown device</source>
        <translation>未知设备</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot read {file}: {error}.</source>
        <translation>无法读取 {file}：{error}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} is a file; a model is a folder that holds config.json.</source>
        <translation>{model} 是一个文件；模型应是包含 config.json 的文件夹。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder {folder} has no config.json, so it is not a Hugging Face model folder.</source>
        <translation>文件夹 {folder} 中没有 config.json，因此不是 Hugging Face 模型文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model folder {model} does not exist, and it is not a hub id (org/name) either.</source>
        <translation>模型文件夹 {model} 不存在，它也不是 Hub 标识（org/name）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model was given: name a local model folder or a Hugging Face hub id such as org/name.</source>
        <translation>未指定模型：请填写本地模型文件夹，或形如 org/name 的 Hugging Face Hub 标识。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file} does not describe a model: it has neither model_type nor architectures.</source>
        <translation>{file} 没有描述模型：其中既没有 model_type，也没有 architectures。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file} is not valid JSON (line {lineno}, column {colno}: {detail}).</source>
        <translation>{file} 不是有效的 JSON（第 {lineno} 行，第 {colno} 列：{detail}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file} is {value} MiB; a model&apos;s config.json is a few kilobytes, so it was not read.</source>
        <translation>{file} 大小为 {value} MiB；模型的 config.json 通常只有几 KB，因此未读取。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model folder {model} does not exist (a local path is never looked up on the hub).</source>
        <translation>模型文件夹 {model} 不存在（本地路径从不会到 Hub 上查找）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model} is not a folder (a pipe, socket or device); a model is a folder that holds config.json.</source>
        <translation>{model} 不是文件夹（是管道、套接字或设备）；模型应是包含 config.json 的文件夹。</translation>
    </message>
    <message>
        <location line="+431"/>
        <source>ModelScope is chosen as the download source, but its client is not installed: pip install modelscope-hub (or choose Hugging Face)</source>
        <translation>已选择 ModelScope 作为下载来源，但未安装其客户端：pip install modelscope-hub（或选择 Hugging Face）</translation>
    </message>
    <message>
        <location line="-429"/>
        <source>{file} is not a regular file (a pipe, socket or device), so it was not read.</source>
        <translation>{file} 不是普通文件（管道、套接字或设备），因此未读取。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file} is not a usable config.json: {error}.</source>
        <translation>{file} 不是可用的 config.json：{error}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} does not describe a usable model: {faults}.</source>
        <translation>{file} 描述的不是可用的模型：{faults}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a mapping</source>
        <translation>一个映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>architectures must be a list of class names such as [&quot;LlamaForCausalLM&quot;], found {found}</source>
        <translation>architectures 必须是类名列表，例如 [&quot;LlamaForCausalLM&quot;]，实际为 {found}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>model_type must be text such as &quot;llama&quot;, found {found}</source>
        <translation>model_type 必须是文本，例如 &quot;llama&quot;，实际为 {found}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model_type &quot;{model_type}&quot; is not a model type that Hugging Face transformers knows; PEFT Studio supports the families {families} (and other transformers models, untested)</source>
        <translation>model_type &quot;{model_type}&quot; 不是 Hugging Face transformers 认识的模型类型；PEFT Studio 支持的模型族为 {families}（以及其他未经测试的 transformers 模型）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is_encoder_decoder must be true or false, found {found}</source>
        <translation>is_encoder_decoder 必须是 true 或 false，实际为 {found}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{key} is {found}, but it must be a whole number of at least 1</source>
        <translation>{key} 为 {found}，但它必须是至少为 1 的整数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the hidden size {hidden} does not divide into {heads} attention heads</source>
        <translation>隐藏层大小 {hidden} 不能被 {heads} 个注意力头整除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{heads} attention heads cannot be shared by {kv} key/value heads (num_key_value_heads must divide num_attention_heads)</source>
        <translation>{heads} 个注意力头无法由 {kv} 个键/值头共享（num_key_value_heads 必须能整除 num_attention_heads）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text (quote it: {key}: &quot;{value}&quot;)</source>
        <translation>文本（请加引号：{key}: &quot;{value}&quot;）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot create the folder for the run store {path}: {error}</source>
        <translation>无法为运行记录库 {path} 创建文件夹：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot open the run store {path} for writing ({error}). Check that the folder exists and is writable, or set PEFT_STUDIO_HOME to another folder.</source>
        <translation>无法以写入方式打开运行记录库 {path}（{error}）。请检查该文件夹是否存在且可写，或将 PEFT_STUDIO_HOME 设为其他文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;{ref}&apos; matches {count} runs; give the id:</source>
        <translation>“{ref}”匹配到 {count} 个运行；请给出 ID：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run given.</source>
        <translation>未指定运行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run matches &apos;{ref}&apos;. `peft-studio runs list` shows them.</source>
        <translation>没有与“{ref}”匹配的运行。`peft-studio runs list` 可列出所有运行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run matches &apos;{ref}&apos;. Did you mean one of these?</source>
        <translation>没有与“{ref}”匹配的运行。您是否指的是以下之一？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The run store {path} is not a readable SQLite database ({error}). It was left as it is: move it aside (or restore a backup) and PEFT Studio will start a new, empty store, or set PEFT_STUDIO_HOME to use another folder.</source>
        <translation>运行记录库 {path} 不是可读取的 SQLite 数据库（{error}）。文件保持原样未动：将其移走（或恢复备份）后，PEFT Studio 会新建一个空的记录库；也可以设置 PEFT_STUDIO_HOME 以使用其他文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The run store {path} stayed locked for {seconds:.0f} s: another PEFT Studio process is writing to it. Try again; if it keeps happening, close other PEFT Studio windows and trainings.</source>
        <translation>运行记录库 {path} 被锁定了 {seconds:.0f} 秒：另一个 PEFT Studio 进程正在写入。请重试；如果反复出现，请关闭其他 PEFT Studio 窗口和训练。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The run store {path} was written by a newer PEFT Studio (schema version {version}; this version understands up to {supported}). It was left as it is: update PEFT Studio, or set PEFT_STUDIO_HOME to use another folder.</source>
        <translation>运行记录库 {path} 由更新版本的 PEFT Studio 写入（架构版本 {version}；当前版本最高支持 {supported}）。文件保持原样未动：请更新 PEFT Studio，或设置 PEFT_STUDIO_HOME 以使用其他文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A run with id {run_id} already exists in {path}.</source>
        <translation>{path} 中已存在 ID 为 {run_id} 的运行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is an SQLite database, but not a PEFT Studio run store. It was left as it is: move it aside, or set PEFT_STUDIO_HOME to use another folder.</source>
        <translation>{path} 是 SQLite 数据库，但不是 PEFT Studio 的运行记录库。文件保持原样未动：请将其移走，或设置 PEFT_STUDIO_HOME 以使用其他文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no conversation {id}.</source>
        <translation>不存在对话 {id}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no run {run_id}.</source>
        <translation>不存在运行 {run_id}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no run {run_id} in {path}.</source>
        <translation>{path} 中不存在运行 {run_id}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no run {run_id} (was it deleted?).</source>
        <translation>不存在运行 {run_id}（是否已被删除？）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{message}
{candidates}</source>
        <translation>{message}
{candidates}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;{ref}&apos; matches {count} runs by name; give the id of the one you mean:</source>
        <translation>“{ref}”按名称匹配到 {count} 个运行；请给出您所指运行的 ID：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;{ref}&apos; matches {count} runs by the start of the id; give more of the id:</source>
        <translation>“{ref}”按 ID 开头匹配到 {count} 个运行；请给出更多 ID 字符：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;{ref}&apos; is too short to pick a run by the start of its id: give at least {count} characters of the id, or the whole id or name. It starts the id of:</source>
        <translation>“{ref}”太短，无法按 ID 开头确定运行：请至少给出 ID 的 {count} 个字符，或给出完整的 ID 或名称。以它开头的 ID 有：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot record the run: {given}.</source>
        <translation>无法记录该运行：{given}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot write the run store {path}: {error}. The change was not saved and the store is as it was before it. Free some disk space (or check the disk and the file size limit) and try again.</source>
        <translation>无法写入运行记录库 {path}：{error}。更改未保存，记录库保持原样。请释放一些磁盘空间（或检查磁盘和文件大小限制）后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No run matches &apos;{ref}&apos; ({what}; a run is named by its id, such as 20260101-120000-ab12, its name or its output folder).</source>
        <translation>没有与“{ref}”匹配的运行（{what}；运行可以用 ID（如 20260101-120000-ab12）、名称或输出文件夹指定）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The run store {path} is {kind}, so it cannot hold the run history. It was left as it is: move it aside and PEFT Studio will start a new, empty store, or set PEFT_STUDIO_HOME to use another folder.</source>
        <translation>运行记录库 {path} 是{kind}，因此无法保存运行历史。文件保持原样未动：将其移走后，PEFT Studio 会新建一个空的记录库；也可以设置 PEFT_STUDIO_HOME 以使用其他文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no evaluation {evaluation_id}.</source>
        <translation>不存在评估 {evaluation_id}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number of {bits} bits</source>
        <translation>一个 {bits} 位的数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a {kind} of {count} items</source>
        <translation>一个含 {count} 项的 {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contains a NUL character, which no path can hold</source>
        <translation>包含 NUL 字符，任何路径都不能包含它</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is {size:,} bytes long; a path is at most {limit:,}</source>
        <translation>长 {size:,} 字节；路径最长为 {limit:,} 字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>holds a name of {size:,} bytes; a file or folder name is at most {limit}</source>
        <translation>含有一个 {size:,} 字节的名称；文件或文件夹名最长为 {limit} 字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>starts with {home}, the home folder of an unknown user</source>
        <translation>以 {home} 开头，这是一个未知用户的主文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} holds its weights only as pickle files ({files}). Loading a pickle can run any code its author put in it, so the studio reads safetensors only. Convert the weights in a PyTorch environment, in that folder: {command}. Or, only if you trust where the files come from, allow pickle weights (run file: allow_pickle_weights: true; command line: --allow-pickle-weights; window: the &quot;Allow pickle weights&quot; checkbox); they are then read by a restricted loader that accepts tensors only.</source>
        <translation>{folder} 仅以 pickle 文件（{files}）保存其权重。加载 pickle 可能运行其作者放入的任何代码，因此本工具只读取 safetensors。请在 PyTorch 环境中、在该文件夹内转换权重：{command}。或者，仅当你信任这些文件的来源时，允许 pickle 权重（运行文件：allow_pickle_weights: true；命令行：--allow-pickle-weights；窗口：“允许 pickle 权重”复选框）；届时会由只接受张量的受限加载器读取它们。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{folder} holds its weights only as pickle files ({files}). Loading a pickle can run any code its author put in it, so the studio reads safetensors only. Convert the weights in a PyTorch environment, in that folder: {command}. For sharded weights, convert each shard, or load the model in PyTorch and save it with save_pretrained(folder, safe_serialization=True). Or, only if you trust where the files come from, allow pickle weights (run file: allow_pickle_weights: true; command line: --allow-pickle-weights; window: the &quot;Allow pickle weights&quot; checkbox); they are then read by a restricted loader that accepts tensors only.</source>
        <translation>{folder} 仅以 pickle 文件（{files}）保存其权重。加载 pickle 可能运行其作者放入的任何代码，因此本工具只读取 safetensors。请在 PyTorch 环境中、在该文件夹内转换权重：{command}。对于分片权重，请逐个转换各分片，或在 PyTorch 中加载模型并用 save_pretrained(folder, safe_serialization=True) 保存。或者，仅当你信任这些文件的来源时，允许 pickle 权重（运行文件：allow_pickle_weights: true；命令行：--allow-pickle-weights；窗口：“允许 pickle 权重”复选框）；届时会由只接受张量的受限加载器读取它们。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This model is saved as pytorch_model.bin, which cannot be read without loading it; the module names of its family are shown instead, without shapes.</source>
        <translation>该模型保存为 pytorch_model.bin，不加载就无法读取；因此改为显示其模型系列的模块名称，不含形状。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is a Hugging Face hub id: the model will be downloaded when training starts (needs network).</source>
        <translation>这是一个 Hugging Face Hub ID：模型将在训练开始时下载（需要网络）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is a Hugging Face hub id: the model will be downloaded when training starts (needs network). The details shown come from the local Hugging Face cache.</source>
        <translation>这是一个 Hugging Face Hub ID：模型将在训练开始时下载（需要网络）。显示的信息来自本地 Hugging Face 缓存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The module tree is not known until the model is downloaded.</source>
        <translation>模型下载之前无法得知模块树。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reloading the export took longer than {seconds} s</source>
        <translation>重新加载导出结果用时超过 {seconds} 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the exported folder does not load in a fresh process: {reason}</source>
        <translation>导出的文件夹无法在新进程中加载：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the reloaded model gives logits of shape {theirs}, the studio&apos;s model {ours}</source>
        <translation>重新加载的模型给出的 logits 形状为 {theirs}，而本工具中的模型为 {ours}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the reloaded model gives non-finite logits</source>
        <translation>重新加载的模型给出了非有限的 logits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the reloaded model disagrees with the studio&apos;s</source>
        <translation>重新加载的模型与本工具中的模型结果不一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a folder</source>
        <translation>一个文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a regular file (a pipe, socket or device)</source>
        <translation>一个非普通文件（管道、套接字或设备）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count:,} characters</source>
        <translation>{count:,} 个字符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a NUL character</source>
        <translation>一个 NUL 字符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the training process ended without reporting (killed or crashed)</source>
        <translation>训练进程未报告结果就结束了（被终止或崩溃）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot rename the run: {reason}.</source>
        <translation>无法重命名该运行：{reason}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The stored record of {what} is damaged: its {column} is not readable JSON ({detail}). {remedy}</source>
        <translation>{what}的存储记录已损坏：其 {column} 不是可读的 JSON（{detail}）。{remedy}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run {id} ({name})</source>
        <translation>运行 {id}（{name}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checkpoint {step} of run {run_id}</source>
        <translation>运行 {run_id} 的检查点 {step}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an export of run {run_id}</source>
        <translation>运行 {run_id} 的一次导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the conversation &apos;{title}&apos;</source>
        <translation>对话“{title}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a {kind}, not an object</source>
        <translation>是 {kind}，而不是对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a {kind}, not a list</source>
        <translation>是 {kind}，而不是列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The other runs are not affected; `peft-studio runs delete {run_id}` removes this one.</source>
        <translation>其他运行不受影响；`peft-studio runs delete {run_id}` 可删除这一个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The other conversations are not affected; this one is left out of the Playground&apos;s history.</source>
        <translation>其他对话不受影响；这一个不会出现在试用页的历史中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a run name must be text, not {kind}</source>
        <translation>运行名称必须是文本，而不是 {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a run name cannot be empty</source>
        <translation>运行名称不能为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a run name is at most {limit} characters (this one has {length:,})</source>
        <translation>运行名称最多 {limit} 个字符（此名称有 {length:,} 个）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>control character</source>
        <translation>控制字符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a run name cannot contain control characters; this one has {code} ({name}) at position {position}</source>
        <translation>运行名称不能包含控制字符；此名称在第 {position} 个位置有 {code}（{name}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not delete {folder}: {error}. The run was not deleted.</source>
        <translation>无法删除 {folder}：{error}。该运行未被删除。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is a symbolic link (to {target}), and the studio never deletes through one</source>
        <translation>它是符号链接（指向 {target}），本工具从不通过符号链接删除文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is not a run output folder</source>
        <translation>它不是运行的输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is not the output folder the studio made for run {run} (it has no {marker} marker of that run)</source>
        <translation>它不是本工具为运行 {run} 创建的输出文件夹（其中没有该运行的 {marker} 标记）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refusing to delete {folder}: {refusal}. The run was not deleted; remove the files by hand if you mean to.</source>
        <translation>拒绝删除 {folder}：{refusal}。该运行未被删除；如确需删除，请手动删除这些文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>interrupted before training could stop cleanly</source>
        <translation>在训练正常停止之前被中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} is still running (process {pid})</source>
        <translation>运行 {id} 仍在进行中（进程 {pid}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} has no checkpoint; starting it again from step 0</source>
        <translation>运行 {id} 没有检查点；将从第 0 步重新开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resuming run {id} from step {step}</source>
        <translation>正在从第 {step} 步继续运行 {id}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} cannot be resumed: {refusal}</source>
        <translation>运行 {id} 无法继续：{refusal}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} has no output folder to continue in</source>
        <translation>运行 {id} 没有可供继续的输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot switch this process to {device}: {error}</source>
        <translation>无法将此进程切换到 {device}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>device &apos;{requested}&apos; is not available on this machine (available: {available})</source>
        <translation>本机没有设备“{requested}”（可用：{available}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the dataset has no training examples after preparation</source>
        <translation>数据集经过预处理后没有任何训练样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early stopping: keeping the best weights (step {step})</source>
        <translation>提前停止：保留最佳权重（第 {step} 步）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early stopping: {name} has not improved for {evals} evaluations (best {best:.4f} at step {step}, {mode} is better)</source>
        <translation>提前停止：{name} 已连续 {evals} 次评估没有改善（最佳值 {best:.4f}，在第 {step} 步；{mode} 为优）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>loading {model} for {task}</source>
        <translation>正在为 {task} 加载 {model}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the loss became {loss} at step {step}; try a lower learning rate or float32 weights</source>
        <translation>第 {step} 步的损失变为 {loss}；请尝试降低学习率或使用 float32 权重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the method left no trainable parameters in this model</source>
        <translation>该方法没有在此模型中留下任何可训练参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no gradients reached the trainable parameters</source>
        <translation>梯度没有传到可训练参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of memory: try a smaller batch size or max_length</source>
        <translation>内存不足：请尝试减小批大小或 max_length</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>internal error: {error}</source>
        <translation>内部错误：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>preparing data from {path}</source>
        <translation>正在从 {path} 准备数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resumed from {checkpoint} at step {step}</source>
        <translation>已从 {checkpoint} 恢复，当前为第 {step} 步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BitFit trains bias terms, and this model has none</source>
        <translation>BitFit 训练的是偏置项，而此模型没有偏置项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{method} cannot be applied to this model: {error}</source>
        <translation>{method} 无法应用到此模型：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot load the model from {path}: {error}</source>
        <translation>无法从 {path} 加载模型：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot load the tokenizer from {path}: {error}</source>
        <translation>无法从 {path} 加载分词器：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} cannot be loaded for task {task}: {error}</source>
        <translation>无法为 {task} 任务加载 {path}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checkpoint does not fit this model: {count} tensors have no place in it, e.g. {missing}</source>
        <translation>检查点与此模型不匹配：有 {count} 个张量在模型中找不到对应位置，例如 {missing}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a classification run needs label names from the dataset</source>
        <translation>分类运行需要数据集提供标签名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the tokenizer in {path} has neither a pad nor an eos token</source>
        <translation>{path} 中的分词器既没有 pad 词元，也没有 eos 词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The checkpoint in {folder} is incomplete: {missing} missing.</source>
        <translation>{folder} 中的检查点不完整：缺少 {missing}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} has a damaged safetensors header.</source>
        <translation>{file} 的 safetensors 文件头已损坏。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} holds no model weights (model.safetensors or pytorch_model.bin).</source>
        <translation>{folder} 中没有模型权重（model.safetensors 或 pytorch_model.bin）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file} is not a safetensors file (header of {length} bytes).</source>
        <translation>{file} 不是 safetensors 文件（文件头长 {length} 字节）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{index} is not a valid checkpoint index.</source>
        <translation>{index} 不是有效的检查点索引。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file}: tensor {name} has no valid shape.</source>
        <translation>{file}：张量 {name} 的形状无效。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is too short to be a safetensors file.</source>
        <translation>{file} 太短，不可能是 safetensors 文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{first}
{rest}</source>
        <translation>{first}
{rest}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  {text}</source>
        <translation>  {text}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{first}, {rest}</source>
        <translation>{first}，{rest}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{first}; {rest}</source>
        <translation>{first}；{rest}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{first}: {rest}</source>
        <translation>{first}：{rest}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} already holds files; choose a new or empty folder, or continue the run that wrote them with `peft-studio train --resume`</source>
        <translation>{folder} 中已有文件；请选择新的或空的文件夹，或用 `peft-studio train --resume` 继续写入这些文件的运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} holds the studio&apos;s own data (the run store); choose a new folder for this run&apos;s files</source>
        <translation>{folder} 中存放着本工具自己的数据（运行记录库）；请为此运行的文件选择一个新文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} is a file, not a folder</source>
        <translation>{folder} 是文件，不是文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} is your home folder; choose a new folder for this run&apos;s files</source>
        <translation>{folder} 是您的主文件夹；请为此运行的文件选择一个新文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} is the filesystem root; choose a new folder for this run&apos;s files</source>
        <translation>{folder} 是文件系统根目录；请为此运行的文件选择一个新文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} is the folder that holds every run&apos;s output folder; choose a new folder for this run&apos;s files</source>
        <translation>{folder} 是存放所有运行输出文件夹的文件夹；请为此运行的文件选择一个新文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every checkpoint of this run is damaged, so it cannot be resumed:
{reasons}</source>
        <translation>此运行的所有检查点都已损坏，因此无法继续：
{reasons}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>checkpoint {checkpoint} is damaged: {file}: {why}</source>
        <translation>检查点 {checkpoint} 已损坏：{file}：{why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file is missing</source>
        <translation>文件缺失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{checkpoint} set aside as {renamed}; resuming from step {step}</source>
        <translation>{checkpoint} 已移放为 {renamed}；从第 {step} 步继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{problem}; trying the checkpoint before it</source>
        <translation>{problem}；正在尝试前一个检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unexpected tensor {name}</source>
        <translation>意外的张量 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} has adapter_config.json but no adapter weights ({weights}); the folder is incomplete</source>
        <translation>{folder} 中有 adapter_config.json，但没有适配器权重（{weights}）；该文件夹不完整</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the base model is not loaded yet (call load() first)</source>
        <translation>基础模型尚未加载（请先调用 load()）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} has bitfit_config.json but no bitfit_model.safetensors</source>
        <translation>{folder} 中有 bitfit_config.json，但没有 bitfit_model.safetensors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} ({model_type}) cannot do {task}</source>
        <translation>{model}（{model_type}）无法执行{task}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot load the adapter in {path}: {name}: {error}</source>
        <translation>无法加载 {path} 中的适配器：{name}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {file}: {error}</source>
        <translation>无法读取 {file}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot use this conversation: {error}</source>
        <translation>无法使用此对话：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the chat template cannot render this conversation: {error}</source>
        <translation>对话模板无法渲染此对话：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the checkpoint {files} holds no adapter files; only PEFT checkpoints (an adapter/ folder) and BitFit checkpoints can be loaded. Use the run&apos;s final result instead.</source>
        <translation>检查点 {files} 中没有适配器文件；只能加载 PEFT 检查点（含 adapter/ 文件夹）和 BitFit 检查点。请改用该运行的最终结果。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the conversation ends with an answer; add a user message first</source>
        <translation>对话以回答结尾；请先添加一条用户消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{text} is a file; an adapter is a folder holding adapter_config.json and its weights.</source>
        <translation>{text} 是一个文件；适配器应是包含 adapter_config.json 及其权重的文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder {text} does not exist.</source>
        <translation>文件夹 {text} 不存在。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> It holds checkpoints (steps {steps}): choose one of those, e.g. {example}.</source>
        <translation>其中有检查点（第 {steps} 步）：请选择其中之一，例如 {example}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} holds no adapter: expected adapter_config.json with adapter weights (PEFT), bitfit_config.json (BitFit) or a model&apos;s config.json with weights (full fine-tuning).{hint}</source>
        <translation>{folder} 中没有适配器：应包含 adapter_config.json 及适配器权重（PEFT）、bitfit_config.json（BitFit），或模型的 config.json 及权重（全参数微调）。{hint}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} cannot be used with this base model: {problems}</source>
        <translation>{name} 不能用于此基础模型：{problems}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this model is loaded for {task}: use classify()</source>
        <translation>此模型是为{task}加载的：请使用 classify()</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No adapter given: name a run, RUN@STEP or a folder.</source>
        <translation>未指定适配器：请填写运行、RUN@STEP 或文件夹。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no adapter named {name} is loaded (loaded: {known})</source>
        <translation>没有加载名为 {name} 的适配器（已加载：{known}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this model is loaded for {task}, not sequence classification</source>
        <translation>此模型是为{task}加载的，不是序列分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} does not hold a JSON object</source>
        <translation>{path} 中不是 JSON 对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is not a readable safetensors file: {error}</source>
        <translation>{path} 不是可读取的 safetensors 文件：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this model is loaded for {task}, not sequence-to-sequence generation</source>
        <translation>此模型是为{task}加载的，不是序列到序列生成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>out of memory loading {model}</source>
        <translation>加载 {model} 时内存不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of memory loading adapter {name}</source>
        <translation>加载适配器 {name} 时内存不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of memory while generating: choose fewer new tokens, a smaller model, or another device</source>
        <translation>生成时内存不足：请减少新生成的词元数，或换用更小的模型或其他设备</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the output folder of run {id} ({name}) is gone: {output}</source>
        <translation>运行 {id}（{name}）的输出文件夹已不存在：{output}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the prompt is empty</source>
        <translation>提示为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} ({name}) has no checkpoint at step {step}; its checkpoints: {steps}</source>
        <translation>运行 {id}（{name}）在第 {step} 步没有检查点；它的检查点：{steps}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run {id} ({name}) has no checkpoints</source>
        <translation>运行 {id}（{name}）没有检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} ({name}) has no final result (status {status}); choose one of its checkpoints with {name}@STEP (steps: {steps})</source>
        <translation>运行 {id}（{name}）没有最终结果（状态 {status}）；请用 {name}@STEP 选择它的某个检查点（步数：{steps}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run {id} ({name}) has no output folder recorded</source>
        <translation>运行 {id}（{name}）没有记录输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {id} ({name}) is still training; choose one of its checkpoints ({name}@STEP; steps: {steps})</source>
        <translation>运行 {id}（{name}）仍在训练；请选择它的某个检查点（{name}@STEP；步数：{steps}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>there is no user message to answer</source>
        <translation>没有需要回答的用户消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown task {task}</source>
        <translation>未知任务 {task}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is unreadable: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is a whole fine-tuned model, not an adapter: open its folder ({path}) as the base model</source>
        <translation>{name} 是完整微调的模型，不是适配器：请将其文件夹（{path}）作为基础模型打开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an adapter named {name} is already loaded</source>
        <translation>已加载名为 {name} 的适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an adapter needs a name</source>
        <translation>适配器需要一个名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another model</source>
        <translation>另一个模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this adapter was trained for {task}, which {base} ({model_type}, {kind}) cannot do</source>
        <translation>此适配器是为{task}训练的，而 {base}（{model_type}，{kind}）无法执行该任务</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the base model has no such tensor: {key}</source>
        <translation>基础模型中没有此张量：{key}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the base model has shape {shape}, the file {file_shape}: {key}</source>
        <translation>基础模型中的形状为 {shape}，文件中为 {file_shape}：{key}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hidden {size}</source>
        <translation>隐藏层维度 {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} layers</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vocabulary {size}</source>
        <translation>词表大小 {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is a whole fine-tuned model, not an adapter: choose its folder ({path}) as the base model</source>
        <translation>{name} 是完整微调的模型，不是适配器：请选择其文件夹（{path}）作为基础模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is a whole fine-tuned model, not an adapter: choose its folder ({path}) as the base model instead of {base}</source>
        <translation>{name} 是完整微调的模型，不是适配器：请选择其文件夹（{path}）作为基础模型，而不是 {base}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it predicts {count} labels ({labels}), the model was loaded with {loaded}: load the base again with this adapter&apos;s labels</source>
        <translation>它预测 {count} 个标签（{labels}），而模型加载时使用了 {loaded} 个：请用此适配器的标签重新加载基础模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter does not fit {base}: its {module} has {theirs} inputs, the base layer {ours}</source>
        <translation>此适配器与 {base} 不匹配：它的 {module} 有 {theirs} 个输入，而基础模型的该层有 {ours} 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter does not fit {base}: its {module} has {theirs} outputs, the base layer {ours}</source>
        <translation>此适配器与 {base} 不匹配：它的 {module} 有 {theirs} 个输出，而基础模型的该层有 {ours} 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter does not fit {base}: its {module} has {theirs} tokens, the base layer {ours}</source>
        <translation>此适配器与 {base} 不匹配：它的 {module} 有 {theirs} 个词元，而基础模型的该层有 {ours} 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{problem} ({count} layers differ)</source>
        <translation>{problem}（共有 {count} 层不同）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this adapter changes {count} layer(s) that {base} does not have, e.g. {example}</source>
        <translation>此适配器修改了 {base} 中不存在的 {count} 个层，例如 {example}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{problem}; the adapter was trained on a model with at least {depth} layers, {base} has {layers}</source>
        <translation>{problem}；训练此适配器的模型至少有 {depth} 层，而 {base} 只有 {layers} 层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter was trained for {trained}, but the model is loaded for {loaded}</source>
        <translation>此适配器是为{trained}训练的，但模型是为{loaded}加载的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter was trained on {trained} ({trained_details}); the chosen base is {base} ({base_details})</source>
        <translation>此适配器是在 {trained}（{trained_details}）上训练的；所选基础模型是 {base}（{base_details}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>max new tokens must be at least 1</source>
        <translation>最大新词元数必须至少为 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>repetition penalty must be positive</source>
        <translation>重复惩罚必须为正数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>temperature cannot be negative</source>
        <translation>温度不能为负数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-k cannot be negative</source>
        <translation>top-k 不能为负数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-p must be in (0, 1]</source>
        <translation>top-p 必须在 (0, 1] 范围内</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading {model}</source>
        <translation>正在加载 {model}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading adapter {name}</source>
        <translation>正在加载适配器 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading the tokenizer</source>
        <translation>正在加载分词器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>starting MindSpore</source>
        <translation>正在启动 MindSpore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{adapter} and {other} adapt different modules (e.g. {only}); combine adapters with the same target modules</source>
        <translation>{adapter} 和 {other} 适配的模块不同（例如 {only}）；请组合目标模块相同的适配器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} has adapter_config.json but no adapter weights</source>
        <translation>{folder} 中有 adapter_config.json，但没有适配器权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the adapter in {folder} does not load onto {base}: {error}</source>
        <translation>{folder} 中的适配器无法加载到 {base} 上：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the adapter does not say which base model it belongs to (base_model_name_or_path is empty)</source>
        <translation>适配器没有说明它属于哪个基础模型（base_model_name_or_path 为空）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this adapter&apos;s method ({peft_type}) is not one the studio knows</source>
        <translation>本工具不认识此适配器的方法（{peft_type}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the adapters do not load together onto {other_base}: {error}</source>
        <translation>这些适配器无法一起加载到 {other_base} 上：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{final} already holds files; choose an empty folder, or replace its contents with overwrite (--overwrite)</source>
        <translation>{final} 中已有文件；请选择空文件夹，或使用覆盖（--overwrite）替换其内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{adapter} also trains whole modules ({modules}); those cannot be combined</source>
        <translation>{adapter} 还会训练整个模块（{modules}）；这些模块无法组合</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}: cannot store dtype {dtype} in safetensors</source>
        <translation>{name}：无法以 safetensors 存储数据类型 {dtype}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot tell the labels of this {task} result: its dataset is gone and it holds no classifier head</source>
        <translation>无法确定此 {task} 结果的标签：其数据集已不存在，且其中没有分类头</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} is a checkpoint whose run is unknown; export the run (RUN@step) or its adapter folder instead</source>
        <translation>{folder} 是所属运行未知的检查点；请改为导出该运行（RUN@step）或其适配器文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its checkpoints are at steps {steps}</source>
        <translation>它的检查点位于第 {steps} 步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>combination must be one of {choices}, not {combination}</source>
        <translation>组合方式必须是 {choices} 之一，而不是 {combination}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{adapter} is for {task}, {other} for {other_task}</source>
        <translation>{adapter} 用于 {task}，而 {other} 用于 {other_task}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{adapter} is a DoRA adapter; add_weighted_adapter does not combine DoRA&apos;s magnitude vectors</source>
        <translation>{adapter} 是 DoRA 适配器；add_weighted_adapter 无法组合 DoRA 的幅度向量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dtype must be one of {dtypes}, not {dtype}</source>
        <translation>数据类型必须是 {dtypes} 之一，而不是 {dtype}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>export one of its checkpoints instead, e.g. {example}</source>
        <translation>请改为导出它的某个检查点，例如 {example}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{final} is a file, not a folder; choose a folder to export into</source>
        <translation>{final} 是文件而不是文件夹；请选择要导出到的文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give at least one adapter to combine</source>
        <translation>请至少给出一个要组合的适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>; it is a run folder without a final result: export one of its checkpoints (RUN@STEP or its checkpoints/step-N folder)</source>
        <translation>；这是没有最终结果的运行文件夹：请导出它的某个检查点（RUN@STEP 或其 checkpoints/step-N 文件夹）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} holds neither an adapter (adapter_config.json), a BitFit patch (bitfit_config.json) nor a model (config.json){hint}</source>
        <translation>{folder} 中既没有适配器（adapter_config.json），也没有 BitFit 补丁（bitfit_config.json）或模型（config.json）{hint}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} holds values beyond float16&apos;s range (max |x| {value:.4g} &gt; 65504); export in bfloat16 or float32 instead</source>
        <translation>{name} 中有超出 float16 范围的值（最大 |x| {value:.4g} &gt; 65504）；请改用 bfloat16 或 float32 导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a linear combination needs equal ranks, and these adapters have ranks {ranks}; use cat or svd</source>
        <translation>线性组合要求秩相同，而这些适配器的秩为 {ranks}；请使用 cat 或 svd</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{adapter}: a linear combination needs positive weights (it scales A and B by sqrt(weight)); use cat or svd for {weight:g}</source>
        <translation>{adapter}：线性组合需要正权重（它按 sqrt(weight) 缩放 A 和 B）；权重为 {weight:g} 时请使用 cat 或 svd</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{adapter}: no adapter_model.safetensors in {folder}</source>
        <translation>{adapter}：{folder} 中没有 adapter_model.safetensors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has no checkpoints</source>
        <translation>它没有检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has no checkpoints either</source>
        <translation>它也没有检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not enough free disk space in {where}: this export needs about {needed}, and {free} is free. Free some space or export to another disk (a smaller dtype halves a merged model)</source>
        <translation>{where} 的可用磁盘空间不足：本次导出约需 {needed}，而可用空间为 {free}。请释放一些空间或导出到其他磁盘（更小的数据类型可使合并模型减半）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{text} is not a folder, and no run store was given to look it up</source>
        <translation>{text} 不是文件夹，且未提供可供查找的运行记录库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is not a JSON object</source>
        <translation>{file} 不是 JSON 对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;{size}&apos; is not a size; write e.g. 2GB, 500MB or 1GiB</source>
        <translation>“{size}”不是有效的大小；请写成例如 2GB、500MB 或 1GiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing to export: give a run or a folder</source>
        <translation>没有可导出的内容：请给出运行或文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>peft could not combine these adapters: {error}</source>
        <translation>peft 无法组合这些适配器：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>peft could not merge this {method} adapter: {error}</source>
        <translation>peft 无法合并此 {method} 适配器：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refusing to export into {final}: choose a new, dedicated folder</source>
        <translation>拒绝导出到 {final}：请选择一个新的专用文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refusing to export into {final}: it holds what is being exported ({source}); choose another folder</source>
        <translation>拒绝导出到 {final}：其中包含正在导出的内容（{source}）；请选择其他文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{adapter} is a {method} result; only LoRA adapters (LoRA, rsLoRA) can be combined</source>
        <translation>{adapter} 是 {method} 的结果；只有 LoRA 适配器（LoRA、rsLoRA）可以组合</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run {run} has no checkpoint at step {step}; {have}</source>
        <translation>运行 {run} 在第 {step} 步没有检查点；{have}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {run} ({status}) has no final result in {output}; {hint}</source>
        <translation>运行 {run}（{status}）在 {output} 中没有最终结果；{hint}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {run} has no output folder</source>
        <translation>运行 {run} 没有输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the shard size must be positive, not {size}</source>
        <translation>分片大小必须为正数，而不是 {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>svd_rank is a positive rank for the svd combination only</source>
        <translation>svd_rank 是仅用于 svd 组合的正整数秩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{adapter} was trained on {base}, {other} on {other_base}; combine adapters of the same base model</source>
        <translation>{adapter} 在 {base} 上训练，而 {other} 在 {other_base} 上训练；请组合同一基础模型的适配器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{adapter}: the weight must be a number, not {weight}</source>
        <translation>{adapter}：权重必须是数字，而不是 {weight}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is a run&apos;s output folder</source>
        <translation>它是某个运行的输出文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEFT Studio did not export into it (it has no {marker} marker)</source>
        <translation>PEFT Studio 没有向其中导出过（其中没有 {marker} 标记）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refusing to overwrite {final}: {what}, and overwrite replaces only an earlier export. Choose an empty folder, or move its contents away yourself</source>
        <translation>拒绝覆盖 {final}：{what}，而覆盖只会替换以前的导出结果。请选择空文件夹，或自行移走其中的内容</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>refusing to overwrite {given}: it is a symbolic link (to {final}); overwrite replaces only a real folder the studio exported into. Give the folder itself, or choose an empty one</source>
        <translation>拒绝覆盖 {given}：它是符号链接（指向 {final}）；覆盖只会替换本工具导出到的真实文件夹。请给出该文件夹本身，或选择一个空文件夹</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>adapter weights</source>
        <translation>适配器权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>combining ({combination})</source>
        <translation>正在组合（{combination}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>config, tokenizer and model card</source>
        <translation>配置、分词器和模型卡片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exported to {folder} (not verified)</source>
        <translation>已导出到 {folder}（未验证）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading {adapter}</source>
        <translation>正在加载 {adapter}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading {count} adapters onto {base}</source>
        <translation>正在将 {count} 个适配器加载到 {base} 上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading {adapter} onto {base}</source>
        <translation>正在将 {adapter} 加载到 {base} 上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>looking up {source}</source>
        <translation>正在查找 {source}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>looking up the adapters</source>
        <translation>正在查找适配器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merging the {method} adapter into the weights</source>
        <translation>正在将 {method} 适配器合并到权重中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the trained biases are in place</source>
        <translation>训练好的偏置已就位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the model is whole already</source>
        <translation>模型本身已是完整模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reloading the export in a fresh process</source>
        <translation>正在新进程中重新加载导出结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer and model card</source>
        <translation>分词器和模型卡片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verification failed: {error}</source>
        <translation>验证失败：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verification FAILED: max |logit difference| {diff:.3g} (tolerance {tolerance:.3g}, {dtype}, {samples} samples)</source>
        <translation>验证未通过：logit 最大差值 {diff:.3g}（容差 {tolerance:.3g}，{dtype}，{samples} 个样本）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verification passed: max |logit difference| {diff:.3g} (tolerance {tolerance:.3g}, {dtype}, {samples} samples)</source>
        <translation>验证通过：logit 最大差值 {diff:.3g}（容差 {tolerance:.3g}，{dtype}，{samples} 个样本）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing shard {index}/{count} ({file})</source>
        <translation>正在写入分片 {index}/{count}（{file}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a BitFit result is a patch of bias values, not a PEFT adapter; export it as a merged model (the base model with the trained biases)</source>
        <translation>BitFit 的结果是对偏置值的补丁，不是 PEFT 适配器；请将其导出为合并模型（带有训练后偏置的基础模型）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{method} cannot be merged into the model: {why}. Export the adapter instead: it loads on top of the base model with PEFT.</source>
        <translation>{method} 无法合并到模型中：{why}。请改为导出适配器：它可以通过 PEFT 加载到基础模型之上。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>full fine-tuning produced a whole model, not an adapter; export it as a merged model (in the dtype of your choice)</source>
        <translation>全参数微调得到的是完整模型，不是适配器；请将其导出为合并模型（可选择数据类型）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peft cannot merge it into the base weights</source>
        <translation>peft 无法将它合并到基础权重中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its gated prompts are added inside the attention layers; they are not a change to any weight</source>
        <translation>它的门控提示被加在注意力层内部；它们不是对任何权重的修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its prompt encoder makes virtual tokens that are put in front of every input; they are not a change to any weight</source>
        <translation>它的提示编码器生成的虚拟词元被放在每个输入的前面；它们不是对任何权重的修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its trained key/value prefixes are put in front of every attention layer&apos;s inputs; they are not a change to any weight</source>
        <translation>它训练出的键/值前缀被放在每个注意力层输入的前面；它们不是对任何权重的修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its trained virtual tokens are put in front of every input; they are not a change to any weight</source>
        <translation>它训练出的虚拟词元被放在每个输入的前面；它们不是对任何权重的修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>checkpoint @ step {step}: {path}</source>
        <translation>检查点 @ 第 {step} 步：{path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>eval @ step {step}: {metrics}</source>
        <translation>评估 @ 第 {step} 步：{metrics}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished ({status}) at step {step}: {folder}</source>
        <translation>已结束（{status}），于第 {step} 步：{folder}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run {run} ({method}, {task}) on {device}: {trainable:,} of {total:,} parameters trainable, {steps} steps -&gt; {folder}</source>
        <translation>运行 {run}（{method}，{task}）在 {device} 上：{total:,} 个参数中有 {trainable:,} 个可训练，共 {steps} 步 -&gt; {folder}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run {run} ({method}, {task}) on {device}: {trainable:,} of {total:,} parameters trainable, {steps} steps on {workers} workers -&gt; {folder}</source>
        <translation>运行 {run}（{method}，{task}）在 {device} 上：{total:,} 个参数中有 {trainable:,} 个可训练，共 {steps} 步，使用 {workers} 个工作进程 -&gt; {folder}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>exit code {code}</source>
        <translation>退出码 {code}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the export process ended unexpectedly ({how})</source>
        <translation>导出进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>killed by signal {number} ({name})</source>
        <translation>被信号 {number}（{name}）终止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>killed by signal {number}</source>
        <translation>被信号 {number} 终止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{how}; the system may have run out of memory</source>
        <translation>{how}；系统可能已内存不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the training process ended unexpectedly ({how})</source>
        <translation>训练进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a weights file</source>
        <translation>一个权重文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the weights file</source>
        <translation>该权重文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is a pickle file, and loading a pickle can run any code its author put in it; the studio reads safetensors only unless pickle weights are allowed</source>
        <translation>{name} 是 pickle 文件，加载 pickle 可能运行其作者放入的任何代码；除非允许 pickle 权重，否则本工具只读取 safetensors</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a tensor in the file does not point at stored data</source>
        <translation>文件中的某个张量没有指向已存储的数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a tensor in the file has an invalid shape or layout</source>
        <translation>文件中的某个张量形状或布局无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a tensor in the file reaches past the end of its data</source>
        <translation>文件中的某个张量超出了其数据的末尾</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} asks to run {name} while it is loaded, which a weights file never needs: refused, and nothing from the file was run. Do not use this file; if you trust its origin, convert it to safetensors with PyTorch.</source>
        <translation>{file} 要求在加载时运行 {name}，而权重文件从不需要这样做：已拒绝，文件中的任何内容都未运行。请不要使用此文件；如果您信任其来源，请用 PyTorch 将其转换为 safetensors。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{file} refers to data in a form weights never use</source>
        <translation>{file} 引用了权重从不使用的数据形式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is not in PyTorch&apos;s zip format (it may be the legacy format from before PyTorch 1.6, or not a PyTorch file at all); the studio reads only the zip format. Convert it to safetensors with PyTorch.</source>
        <translation>{file} 不是 PyTorch 的 zip 格式（可能是 PyTorch 1.6 之前的旧格式，或根本不是 PyTorch 文件）；本工具只读取 zip 格式。请用 PyTorch 将其转换为 safetensors。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{file} is a zip file but not one written by torch.save</source>
        <translation>{file} 是 zip 文件，但不是由 torch.save 写入的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} names tensor data {key} that it does not hold</source>
        <translation>{file} 引用了它并不包含的张量数据 {key}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is damaged or not a weights file: {error}</source>
        <translation>{file} 已损坏或不是权重文件：{error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{model} on {endpoint} is gated: accept its terms on the hub and log in (huggingface-cli login) first</source>
        <translation>{endpoint} 上的 {model} 需要授权：请先在 Hub 上接受其条款并登录（huggingface-cli login）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>there is no model {model} on {endpoint} (or it is private)</source>
        <translation>{endpoint} 上没有模型 {model}（或它是私有的）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} on {endpoint} has no such revision</source>
        <translation>{endpoint} 上的 {model} 没有该版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} is not in the local Hugging Face cache, and the hub cannot be reached ({endpoint})</source>
        <translation>{model} 不在本地 Hugging Face 缓存中，且无法连接到 Hub（{endpoint}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot download {model} from {endpoint}: {error}</source>
        <translation>无法从 {endpoint} 下载 {model}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model}: HF_HUB_OFFLINE is set, so nothing is downloaded; only what the local cache holds is used</source>
        <translation>{model}：已设置 HF_HUB_OFFLINE，因此不会下载任何内容；只使用本地缓存中已有的内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model} on {endpoint} has its weights only as pickle files ({files}), which can run code when loaded; the studio downloads safetensors only unless pickle weights are allowed (--allow-pickle-weights, or allow_pickle_weights: true in the run file)</source>
        <translation>{endpoint} 上的 {model} 只有 pickle 格式的权重文件（{files}），加载时可能运行代码；除非允许 pickle 权重（--allow-pickle-weights，或在运行文件中设置 allow_pickle_weights: true），否则本工具只下载 safetensors</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{model} on {endpoint} has no config.json: it is not a model the studio can load</source>
        <translation>{endpoint} 上的 {model} 没有 config.json：它不是本工具能加载的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model} has no files to download</source>
        <translation>{model} 没有可下载的文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} is not in the local Hugging Face cache, and HF_HUB_OFFLINE is set, so it cannot be downloaded</source>
        <translation>{model} 不在本地 Hugging Face 缓存中，且已设置 HF_HUB_OFFLINE，因此无法下载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model} is not in the local ModelScope cache ({cache}), and HF_HUB_OFFLINE is set, so it cannot be downloaded</source>
        <translation>{model} 不在本地 ModelScope 缓存（{cache}）中，且已设置 HF_HUB_OFFLINE，因此无法下载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{model} on {endpoint} needs a ModelScope login: set MODELSCOPE_API_TOKEN to an access token of your ModelScope account</source>
        <translation>{endpoint} 上的 {model} 需要登录 ModelScope：请将 MODELSCOPE_API_TOKEN 设为您 ModelScope 账户的访问令牌</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot reach {endpoint} to download {model}: {error}</source>
        <translation>无法连接 {endpoint} 以下载 {model}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nested more than {limit} levels deep (lists or mappings inside each other)</source>
        <translation>嵌套超过 {limit} 层（列表或映射相互嵌套）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the alias *{name} refers to the value that contains it, which would make it endless</source>
        <translation>别名 *{name} 引用了包含它自身的值，这会使其无限展开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its aliases (*name) expand to more than {limit} values; a file like this is an attack (&quot;billion laughs&quot;), not a settings file</source>
        <translation>其别名（*name）展开后超过 {limit} 个值；这样的文件是一种攻击（“billion laughs”），而不是设置文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the value {value} cannot be read ({error})</source>
        <translation>无法读取值 {value}（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a value cannot be read ({error})</source>
        <translation>无法读取某个值（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the number {value} is too large (over 300 digits)</source>
        <translation>数字 {value} 过大（超过 300 位）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the key &apos;{key}&apos; is given twice, on line {first} and on line {second}; keep one of them</source>
        <translation>键“{key}”出现了两次，分别在第 {first} 行和第 {second} 行；请只保留一个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is not valid JSON (JSON has no NaN or infinite numbers; use null or leave the value out)</source>
        <translation>{name} 不是有效的 JSON（JSON 没有 NaN 或无穷大数值；请使用 null 或省略该值）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>holds a number too long to read ({error})</source>
        <translation>包含一个过长而无法读取的数字（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the key &apos;{key}&apos; is given twice in one object; keep one of them</source>
        <translation>键“{key}”在同一个对象中出现了两次；请只保留一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the key &apos;{key}&apos; is given twice in one object, on line {first} and on line {second}; keep one of them</source>
        <translation>键“{key}”在同一个对象中出现了两次，分别在第 {first} 行和第 {second} 行；请只保留一个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>evaluating token classification on a file is not supported yet; its validation accuracy is reported during training</source>
        <translation>尚不支持在文件上评估词元分类；其验证准确率会在训练期间报告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--max-samples must be at least 1 (got {value})</source>
        <translation>--max-samples 必须至少为 1（得到 {value}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>labels the model was not trained on: {unknown} (it knows {known})</source>
        <translation>模型未训练过的标签：{unknown}（它认识 {known}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a chat row needs a user turn followed by an assistant turn to compare with</source>
        <translation>对话行需要一个用户轮次，其后跟随一个可供比较的助手轮次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{file}: the predictions file must end in .jsonl or .csv (found {suffix})</source>
        <translation>{file}：预测文件必须以 .jsonl 或 .csv 结尾（实际为 {suffix}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no suffix</source>
        <translation>无后缀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot write {file}: {error}</source>
        <translation>无法写入 {file}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the predictions file {file}: {error}</source>
        <translation>无法读取预测文件 {file}：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is not a predictions file written by PEFT Studio ({error})</source>
        <translation>{file} 不是 PEFT Studio 写入的预测文件（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the batch size must be at least 1 (got {value})</source>
        <translation>批大小必须至少为 1（得到 {value}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the model predicts {count} classes but the file&apos;s labels are {labels} ({names})</source>
        <translation>模型预测 {count} 个类别，但文件的标签有 {labels} 个（{names}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must divide evenly across {workers} workers (it is the global batch of one step)</source>
        <translation>必须能被 {workers} 个工作进程整除（它是一步的全局批大小）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a multiple of {count}</source>
        <translation>{count} 的倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a port from 1024 to 65535</source>
        <translation>必须是 1024 到 65535 之间的端口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the address of every machine, the leader first</source>
        <translation>每台机器的地址，主节点在前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is not a host name or address</source>
        <translation>不是主机名或地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be the same on each of the {hosts} hosts</source>
        <translation>必须在 {hosts} 台主机上各自相同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is not the index of a host</source>
        <translation>不是某台主机的序号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 to {last}</source>
        <translation>0 到 {last}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the leading host&apos;s address</source>
        <translation>主节点主机的地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot tell which of distributed.hosts this machine is ({hosts}); give it with `train --node-rank N`</source>
        <translation>无法判断本机是 distributed.hosts 中的哪一台（{hosts}）；请用 `train --node-rank N` 指定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>node rank {rank} is not the index of a host (0 to {last})</source>
        <translation>节点序号 {rank} 不是某台主机的序号（0 到 {last}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training with several workers (msrun) needs PEFT Studio installed with pip; the desktop app trains with one worker (set distributed.workers to 1)</source>
        <translation>使用多个工作进程训练（msrun）需要用 pip 安装 PEFT Studio；桌面应用只用一个工作进程训练（请将 distributed.workers 设为 1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server is busy: {waiting} requests are already waiting; try again later</source>
        <translation>服务器繁忙：已有 {waiting} 个请求在等待；请稍后再试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no model is loaded in the inference process</source>
        <translation>推理进程中没有加载模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the tools are not valid JSON: {detail} at line {line}, column {column}</source>
        <translation>工具不是有效的 JSON：{detail}（第 {line} 行，第 {column} 列）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the tools are {kind}: expected a list of function definitions</source>
        <translation>工具是{kind}：应为函数定义的列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tool {number} is {kind}: expected an object with &quot;type&quot;: &quot;function&quot; and a &quot;function&quot; holding its name, description and parameters</source>
        <translation>第 {number} 个工具是{kind}：应为一个对象，含 &quot;type&quot;: &quot;function&quot; 以及包含名称、描述和参数的 &quot;function&quot;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tool {number} has type &quot;{kind}&quot;: only &quot;function&quot; tools are supported</source>
        <translation>第 {number} 个工具的类型是 &quot;{kind}&quot;：只支持 &quot;function&quot; 类型的工具</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the &quot;function&quot; of tool {number} is {kind}: expected an object</source>
        <translation>第 {number} 个工具的 &quot;function&quot; 是{kind}：应为一个对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tool {number} has no &quot;name&quot; (a non-empty string)</source>
        <translation>第 {number} 个工具没有 &quot;name&quot;（非空字符串）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>two tools are named &quot;{name}&quot;: each name must be unique</source>
        <translation>有两个工具都名为 &quot;{name}&quot;：每个名称必须唯一</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the &quot;parameters&quot; of tool {number} ({name}) are {kind}: expected a JSON Schema object</source>
        <translation>第 {number} 个工具（{name}）的 &quot;parameters&quot; 是{kind}：应为 JSON Schema 对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the &quot;description&quot; of tool {number} ({name}) is {kind}: expected a string</source>
        <translation>第 {number} 个工具（{name}）的 &quot;description&quot; 是{kind}：应为字符串</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>null</source>
        <translation>null（空值）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <location line="-519"/>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <location line="+520"/>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the last answer calls no tool: a tool result answers a tool call</source>
        <translation>上一个回答没有调用工具：工具结果只能回应工具调用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the inference process does not know the command {op} (is it from another version of PEFT Studio?)</source>
        <translation>推理进程不认识命令 {op}（它是否来自另一个版本的 PEFT Studio？）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>starting {local} of {workers} workers with msrun (logs in {folder})</source>
        <translation>正在用 msrun 启动 {workers} 个工作进程中的 {local} 个（日志在 {folder}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>msrun could not start the workers: {tail}</source>
        <translation>msrun 无法启动工作进程：{tail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting for the first host&apos;s scheduler at {address}</source>
        <translation>正在等待第一台主机位于 {address} 的调度器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no scheduler answered at {address} within {seconds} s: start the first host (node rank 0) too</source>
        <translation>{seconds} 秒内 {address} 没有调度器应答：请同时启动第一台主机（节点序号 0）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the first host stopped answering (its scheduler at {address} is gone: that host failed, was stopped or was killed), so this host&apos;s workers were stopped; see the run on the first host for why, resume it there with `train --resume`, then start node {rank} again (logs here: {folder})</source>
        <translation>第一台主机已无应答（它在 {address} 的调度器已不在：该主机失败、被停止或被终止），因此本机的工作进程已停止；请在第一台主机上查看该运行的原因，在那里用 `train --resume` 继续，然后再次启动节点 {rank}（本机日志：{folder}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>after the run finished, {why}</source>
        <translation>运行结束后，{why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>node {rank}: every worker finished</source>
        <translation>节点 {rank}：所有工作进程都已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the workers ended without a result</source>
        <translation>工作进程结束了，但没有结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>worker {rank} (process {pid}) {how}; every other worker was stopped (logs: {folder})</source>
        <translation>工作进程 {rank}（进程 {pid}）{how}；其他工作进程均已停止（日志：{folder}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>worker {rank} (process {pid}) on {host} {how}; every other worker was stopped (logs: {folder})</source>
        <translation>{host} 上的工作进程 {rank}（进程 {pid}）{how}；其他工作进程均已停止（日志：{folder}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>was killed by {signal}</source>
        <translation>被 {signal} 终止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>was killed by {signal} (out of memory, or killed by someone)</source>
        <translation>被 {signal} 终止（内存不足，或被人终止）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exited with code {code}</source>
        <translation>以退出码 {code} 退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exited with code {code}: {message}</source>
        <translation>以退出码 {code} 退出：{message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the download process ended unexpectedly ({how})</source>
        <translation>下载进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the evaluation process ended unexpectedly ({how})</source>
        <translation>评估进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the inference process ended unexpectedly ({how})</source>
        <translation>推理进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server process ended unexpectedly ({how})</source>
        <translation>服务进程意外结束（{how}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(could not update the run store: {error})</source>
        <translation>（无法更新运行记录库：{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start the training process: {error}</source>
        <translation>无法启动训练进程：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start the export process: {error}</source>
        <translation>无法启动导出进程：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start the evaluation process: {error}</source>
        <translation>无法启动评估进程：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start the download process: {error}</source>
        <translation>无法启动下载进程：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start the server process: {error}</source>
        <translation>无法启动服务进程：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the inference process is not running: load the model</source>
        <translation>推理进程未在运行：请加载模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give either a run file or --resume RUN</source>
        <translation>请给出一个运行文件或 --resume RUN（二者取其一）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is a whole fine-tuned model, not an adapter: give it alone, as --base {path}</source>
        <translation>{name} 是完整微调的模型，不是适配器：请单独给出它，写作 --base {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>give --base MODEL, or --adapter with an adapter that names its base model</source>
        <translation>请给出 --base MODEL，或用 --adapter 给出一个注明了其基座模型的适配器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} was trained on {base}, which is not on this machine; give --base MODEL</source>
        <translation>{name} 是在 {base} 上训练的，而本机上没有该模型；请给出 --base MODEL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an unknown model</source>
        <translation>一个未知模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} does not fit {base}:
{problems}</source>
        <translation>{name} 与 {base} 不匹配：
{problems}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{target} is neither an adapter nor a model folder: {reason}</source>
        <translation>{target} 既不是适配器，也不是模型文件夹：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{target} is a base model; --base {base} names another</source>
        <translation>{target} 是一个基座模型；而 --base {base} 指定了另一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--batch-size must be at least 1 (got {value})</source>
        <translation>--batch-size 必须至少为 1（实际为 {value}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer folder not found (give a local tokenizer or model folder)</source>
        <translation>找不到分词器文件夹（请给出本地的分词器或模型文件夹）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot load a tokenizer: {error}</source>
        <translation>无法加载分词器：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot listen on {host}:{port}: {error}</source>
        <translation>无法在 {host}:{port} 上监听：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>listening on {host} lets other machines use the model: give --api-key KEY (or set {variable})</source>
        <translation>在 {host} 上监听会让其他机器也能使用该模型：请给出 --api-key KEY（或设置 {variable}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--max-queue must be 0 or more, not {value}</source>
        <translation>--max-queue 必须为 0 或更大，实际为 {value}</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../../studio/ui/common/dialogs.py" line="+35"/>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
</context>
<context>
    <name>methods</name>
    <message>
        <location filename="../../studio/ui/i18n_sources.py" line="-1018"/>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low-rank update matrices added to the chosen linear layers.</source>
        <translation>在选定的线性层上叠加低秩更新矩阵。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank of the low-rank update; higher trains more.</source>
        <translation>低秩更新的秩；越大可训练参数越多。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scaling numerator: the update is scaled by lora_alpha / r (by lora_alpha / sqrt(r) for rsLoRA).</source>
        <translation>缩放分子：更新量按 lora_alpha / r 缩放（rsLoRA 按 lora_alpha / sqrt(r)）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Probability of dropping values in the adapter during training.</source>
        <translation>训练时在适配器中随机丢弃数值的概率。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modules to adapt: a list of names (matched against the end of each module&apos;s full name) or one regular expression matched against the whole name; empty means the default for the model family.</source>
        <translation>要适配的模块：名称列表（与每个模块完整名称的末尾匹配），或一个与完整名称整体匹配的正则表达式；留空则使用该模型系列的默认值。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Which biases to train alongside the adapter.</source>
        <translation>与适配器一起训练哪些偏置。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lora_only</source>
        <translation>仅 LoRA 层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra modules trained in full and saved with the adapter, e.g. lm_head; classifier heads are added automatically.</source>
        <translation>额外进行全量训练并随适配器一起保存的模块，例如 lm_head；分类头会自动加入。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DoRA</source>
        <translation>DoRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA with the weight split into magnitude and direction.</source>
        <translation>将权重分解为幅度和方向的 LoRA。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Slower per step than LoRA; built as LoraConfig(use_dora=True).</source>
        <translation>每步比 LoRA 慢；以 LoraConfig(use_dora=True) 构建。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rsLoRA</source>
        <translation>rsLoRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA scaled by alpha / sqrt(r), stable at high ranks.</source>
        <translation>按 alpha / sqrt(r) 缩放的 LoRA，在高秩时更稳定。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built as LoraConfig(use_rslora=True).</source>
        <translation>以 LoraConfig(use_rslora=True) 构建。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AdaLoRA</source>
        <translation>AdaLoRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA whose rank budget is reallocated during training.</source>
        <translation>在训练中动态重新分配秩预算的 LoRA。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The engine fills in total_step (the run&apos;s optimizer steps) and must call update_and_allocate(step) after every optimizer step.</source>
        <translation>训练引擎会自动填写 total_step（本次运行的优化器步数），并在每个优化器步之后调用 update_and_allocate(step)。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting rank of each layer.</source>
        <translation>每层的初始秩。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average rank left after budget reallocation.</source>
        <translation>预算重分配后保留的平均秩。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up steps before ranks start to shrink.</source>
        <translation>秩开始缩减之前的预热步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Final steps trained with the ranks fixed.</source>
        <translation>最后固定秩进行训练的步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps between two budget reallocations.</source>
        <translation>两次预算重分配之间的步数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smoothing of the sensitivity estimate.</source>
        <translation>敏感度估计的平滑系数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smoothing of the uncertainty estimate.</source>
        <translation>不确定性估计的平滑系数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight of the orthogonality penalty added to the loss.</source>
        <translation>加到损失上的正交惩罚项的权重。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>IA³</source>
        <translation>IA³</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learned vectors that rescale keys, values and feed-forward activations.</source>
        <translation>学习一组向量，对键、值和前馈层激活进行缩放。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Which of the target modules are feed-forward layers (scaled on their input); empty means the family default.</source>
        <translation>目标模块中哪些是前馈层（对其输入进行缩放）；留空则使用该模型系列的默认值。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LoHa</source>
        <translation>LoHa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low-rank Hadamard product update (LyCORIS).</source>
        <translation>低秩 Hadamard 积更新（LyCORIS）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPT-2 is not offered: its Conv1D layers are not supported by peft&apos;s LoHa.</source>
        <translation>不支持 GPT-2：peft 的 LoHa 不支持其 Conv1D 层。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank of each Hadamard factor.</source>
        <translation>每个 Hadamard 因子的秩。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scaling numerator (alpha / r).</source>
        <translation>缩放分子（alpha / r）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoKr</source>
        <translation>LoKr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low-rank Kronecker product update (LyCORIS).</source>
        <translation>低秩 Kronecker 积更新（LyCORIS）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPT-2 is not offered: its Conv1D layers are not supported by peft&apos;s LoKr.</source>
        <translation>不支持 GPT-2：peft 的 LoKr 不支持其 Conv1D 层。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank of the Kronecker factor.</source>
        <translation>Kronecker 因子的秩。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also decompose the left Kronecker factor.</source>
        <translation>同时分解左侧的 Kronecker 因子。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kronecker decomposition factor; -1 picks it automatically.</source>
        <translation>Kronecker 分解因子；-1 表示自动选择。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFT</source>
        <translation>OFT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orthogonal block-diagonal rotation of the layer input.</source>
        <translation>对层输入做正交块对角旋转。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPT-2 is not offered: its Conv1D layers are not supported by peft&apos;s OFT.</source>
        <translation>不支持 GPT-2：peft 的 OFT 不支持其 Conv1D 层。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size of each orthogonal block; must divide the layer width (peft adjusts it otherwise). Set either this or r, not both.</source>
        <translation>每个正交块的大小；必须能整除层宽度（否则 peft 会自动调整）。此项与 r 只能设置其一。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of blocks per layer; 0 means use oft_block_size.</source>
        <translation>每层的块数；0 表示使用 oft_block_size。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Constrain the rotation (COFT).</source>
        <translation>约束旋转幅度（COFT）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How far COFT may rotate; used only with coft.</source>
        <translation>COFT 允许的旋转幅度；仅在启用 coft 时使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share one rotation between all blocks of a layer.</source>
        <translation>同一层的所有块共享一个旋转。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BOFT</source>
        <translation>BOFT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orthogonal fine-tuning with butterfly-factorised rotations.</source>
        <translation>使用蝶形分解旋转的正交微调。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPT-2 is not offered: its Conv1D layers are not supported by peft&apos;s BOFT.</source>
        <translation>不支持 GPT-2：peft 的 BOFT 不支持其 Conv1D 层。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size of each block; must divide the layer width. Set either this or boft_block_num, not both.</source>
        <translation>每个块的大小；必须能整除层宽度。此项与 boft_block_num 只能设置其一。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of blocks per layer; 0 means use boft_block_size.</source>
        <translation>每层的块数；0 表示使用 boft_block_size。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of butterfly factors; 1 is plain OFT.</source>
        <translation>蝶形因子的数量；1 即普通 OFT。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VeRA</source>
        <translation>VeRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen shared random matrices with small trained scaling vectors.</source>
        <translation>冻结的共享随机矩阵，加上少量可训练的缩放向量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peft&apos;s default r of 256 is large for small models; 64 is used here. All target layers share one projection sized by the largest of them.</source>
        <translation>peft 默认的 r=256 对小模型来说过大；这里使用 64。所有目标层共享一个投影，其尺寸按最大的目标层确定。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rank of the shared random projections; trained parameters grow only by r per layer.</source>
        <translation>共享随机投影的秩；每层的可训练参数只随 r 增长。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Initial value of the trained scaling vector d.</source>
        <translation>可训练缩放向量 d 的初始值。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed of the shared random projections.</source>
        <translation>共享随机投影的随机种子。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the random projections with the adapter.</source>
        <translation>将随机投影与适配器一起保存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FourierFT</source>
        <translation>FourierFT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learns a few spectral coefficients of the weight update.</source>
        <translation>学习权重更新的少量频谱系数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trained frequencies per layer; at most in_features x out_features of every target layer.</source>
        <translation>每层训练的频率数；不超过每个目标层的 in_features x out_features。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scale of the weight update, like lora_alpha.</source>
        <translation>权重更新的缩放系数，类似 lora_alpha。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed for picking the frequencies.</source>
        <translation>选取频率所用的随机种子。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LN tuning</source>
        <translation>LN Tuning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trains only the layer-norm weights.</source>
        <translation>只训练层归一化（LayerNorm）权重。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prefix tuning</source>
        <translation>Prefix Tuning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trained key/value prefixes in every attention layer.</source>
        <translation>在每个注意力层中训练键/值前缀。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not offered for seq2seq: on T5/mT5 generation disagrees with the forward pass used in training.</source>
        <translation>不支持 seq2seq：在 T5/mT5 上，生成结果与训练时的前向计算不一致。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of trainable virtual tokens put in front of every input.</source>
        <translation>加在每个输入前面的可训练虚拟 token 数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Produce the prefixes through a small two-layer network.</source>
        <translation>通过一个小型两层网络生成前缀。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden size of that network; used only with prefix_projection.</source>
        <translation>该网络的隐藏层维度；仅在启用 prefix_projection 时使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt tuning</source>
        <translation>Prompt Tuning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trained virtual token embeddings in front of the input.</source>
        <translation>在输入前加入可训练的虚拟 token 嵌入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not offered for token classification: the virtual tokens shift the labels.</source>
        <translation>不支持词元分类：虚拟 token 会使标签错位。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the virtual tokens at random or from init_text.</source>
        <translation>虚拟 token 随机初始化，或由 init_text 初始化。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text whose token embeddings start the virtual tokens.</source>
        <translation>用其 token 嵌入来初始化虚拟 token 的文本。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P-tuning</source>
        <translation>P-Tuning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual tokens produced by a small prompt encoder.</source>
        <translation>由小型提示编码器生成的虚拟 token。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network that produces the virtual tokens.</source>
        <translation>生成虚拟 token 的网络。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden size of the prompt encoder.</source>
        <translation>提示编码器的隐藏层维度。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers of the LSTM encoder (the MLP always has two).</source>
        <translation>LSTM 编码器的层数（MLP 固定为两层）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LLaMA-Adapter</source>
        <translation>LLaMA-Adapter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gated adaption prompts in the top attention layers.</source>
        <translation>在顶部若干注意力层中加入带门控的适配提示。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>peft supports it for LLaMA-like and GPT-2 models only (not Qwen2).</source>
        <translation>peft 仅对类 LLaMA 模型和 GPT-2 支持该方法（不支持 Qwen2）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of adaption prompt tokens per layer.</source>
        <translation>每层的适配提示 token 数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many of the top layers get prompts; empty means all layers.</source>
        <translation>为顶部多少层加入提示；留空表示所有层。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BitFit</source>
        <translation>BitFit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trains only the bias terms (and a classifier head).</source>
        <translation>只训练偏置项（以及分类头）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Needs a model with biases; LLaMA, Mistral, T5 and mT5 have none.</source>
        <translation>需要带偏置的模型；LLaMA、Mistral、T5 和 mT5 都没有偏置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Full fine-tuning</source>
        <translation>全参数微调</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trains every weight; the baseline to compare against.</source>
        <translation>训练全部权重；作为对比的基线。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Needs the most memory; the result is a complete model, not an adapter.</source>
        <translation>显存/内存需求最大；得到的是完整模型，而不是适配器。</translation>
    </message>
</context>
</TS>
