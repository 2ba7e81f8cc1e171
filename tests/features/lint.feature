# language: ja
機能: CI での案件フォルダの一括点検（shingikai lint）
  事務局として、案件ファイルを置いたリポジトリを変更のたびにコードと同じように点検し、
  指摘を YAML の該当行に表示して、重大な指摘が残っていれば CI を止めたい。

  背景:
    前提 案件フォルダに、指摘のない案件・高リスクの指摘がある案件・誤記のある案件・リスクを受容した案件がある

  シナリオ: 誤記のあるファイルがあっても、ほかのファイルはすべて点検される
    もし CI が shingikai lint をフォルダに対して実行する
    ならば 終了コードは 2 である
    かつ テキスト出力の行「props/broken.yaml:5:12: error INPUT」がある
    かつ テキスト出力の行「props/sub/high.yaml:16:5: 高 SEN-005」がある
    かつ テキスト出力の行「props/sub/high.yaml:21:5: 中 TRN-001」がある
    かつ テキスト出力で「props/accepted.yaml」の SEN-005 は受容済みと理由付きで示される
    かつ テキスト出力に「props/clean.yaml」の行はない

  シナリオ: 誤記を直すと、高リスクの指摘が残っているので終了コードは 1
    前提 誤記のある案件を削除する
    もし CI が shingikai lint をフォルダに対して実行する
    ならば 終了コードは 1 である

  シナリオ: --fail-on none では指摘があっても CI は止まらない
    前提 誤記のある案件を削除する
    もし CI が shingikai lint をフォルダに対して「--fail-on none」を付けて実行する
    ならば 終了コードは 0 である

  シナリオ: 受容したリスクだけが残る案件では CI は止まらない
    前提 誤記のある案件を削除する
    かつ 高リスクの指摘がある案件を削除する
    もし CI が shingikai lint をフォルダに対して実行する
    ならば 終了コードは 0 である
    かつ テキスト出力で「props/accepted.yaml」の SEN-005 は受容済みと理由付きで示される

  シナリオ: 受容の期限が過ぎると、指摘は注意書き付きで再び未対応になる
    前提 誤記のある案件を削除する
    かつ 高リスクの指摘がある案件を削除する
    かつ 受容の期限を「2020-03-31」に変える
    もし CI が shingikai lint をフォルダに対して実行する
    ならば 終了コードは 1 である
    かつ テキスト出力の行「高 SEN-005」に「期限（2020-03-31）を過ぎた」が含まれる

  シナリオ: 受容するルール ID を誤記すると入力エラーになる
    前提 誤記のある案件を削除する
    かつ 受容するルール ID を「SEN-05」に変える
    もし CI が shingikai lint をフォルダに対して実行する
    ならば 終了コードは 2 である
    かつ テキスト出力で「props/accepted.yaml」の入力エラーに誤った ID「SEN-05」と正しい ID「SEN-005」が示される

  シナリオ: 1 回の実行で SARIF・JUnit・JSON・GitHub 注釈を出力する
    もし CI が shingikai lint をフォルダに対して「-f sarif -o out/lint.sarif -f junit -o out/lint.xml -f json -o out/lint.json -f github」を付けて実行する
    ならば 終了コードは 2 である
    かつ JSON では「props/broken.yaml」が無効で 5 行目の誤りを示し、「props/accepted.yaml」の SEN-005 は受容済みである
    かつ SARIF は公式スキーマに適合する
    かつ SARIF の SEN-005 の結果は level「error」で「props/sub/high.yaml」の 16 行 5 列を指す
    かつ SARIF の TRN-001 の結果は level「warning」で「props/sub/high.yaml」の 21 行 5 列を指す
    かつ SARIF の「props/accepted.yaml」の SEN-005 は理由付きの suppression を持つ
    かつ SARIF の INPUT の結果が「props/broken.yaml」の 5 行 12 列を指す
    かつ SARIF のルール SEN-005 には説明・安全管理措置・docs/rules.md#SEN-005 へのリンクがある
    かつ JUnit には 4 つの testsuite がある
    かつ JUnit の「props/sub/high.yaml」の SEN-005 は失敗で、質問と安全管理措置を含む
    かつ JUnit の「props/accepted.yaml」の SEN-005 はスキップで、受容の理由を含む
    かつ JUnit の「props/broken.yaml」はエラーである
    かつ GitHub 注釈に「::error file=props/sub/high.yaml,line=16,col=5,title=SEN-005」で始まる行がある
    かつ GitHub 注釈に「::warning file=props/sub/high.yaml,line=21,col=5,title=TRN-001」で始まる行がある
    かつ GitHub 注釈に「::notice file=props/accepted.yaml」で始まり「受容済み」を含む行がある
    かつ GitHub 注釈に「::error file=props/broken.yaml,line=5,col=12」で始まる行がある

  シナリオ: ベースラインを記録すると、その後は新しい指摘だけが報告される
    前提 誤記のある案件を削除する
    もし CI が shingikai lint をフォルダに対して「--write-baseline baseline.json」を付けて実行する
    ならば 終了コードは 0 である
    もし 高リスクの指摘がある案件の先頭にコメント行を 3 行加える
    かつ CI が shingikai lint をフォルダに対して「--baseline baseline.json」を付けて実行する
    ならば 終了コードは 0 である
    かつ テキスト出力に「SEN-005」の未対応の行はない
    もし 高リスクの指摘がある案件のデータ項目に「病歴」を加える
    かつ CI が shingikai lint をフォルダに対して「--baseline baseline.json」を付けて実行する
    ならば 終了コードは 1 である
    かつ テキスト出力の行「props/sub/high.yaml:」に「高 SEN-005」が含まれる
