; Inno Setup 6 script: the per-user offline installer of 双随机、一公开 县级工作平台.
;
; Built by packaging/build.py on Windows, which passes:
;   /DAppVersion=0.1.0          the version in pyproject.toml (also shown by 帮助 → 关于)
;   /DAppNumericVersion=0.1.0.0 the same as four numbers, for the file's version resource
;   /DSourceDir=...\dist\shuangsuiji   the PyInstaller one-folder build
;   /DOutputDir=...\dist\installer
;   /DChineseIsl=...\ChineseSimplified.isl  when the Simplified Chinese wizard texts are available
; Without ChineseSimplified.isl the standard texts come from Default.isl and the messages below are Chinese.
;
; Installs for the current user only (no administrator rights) into %LOCALAPPDATA%\Programs\shuangsuiji.
; Uninstalling keeps the user's data (%LOCALAPPDATA%\shuangsuiji\shuangsuiji) unless the clerk says
; otherwise. Nothing here needs a network. This file is UTF-8 with a byte-order mark (Inno Setup needs it).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (packaging/build.py reads it from pyproject.toml)
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\shuangsuiji"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist\installer"
#endif

#define AppName "双随机、一公开 县级工作平台"
#define ShortName "双随机一公开"
#define AppExe "shuangsuiji.exe"
; platformdirs.user_data_dir("shuangsuiji", "shuangsuiji", roaming=False) — see app/paths.py
#define DataParent "{localappdata}\shuangsuiji"
#define DataDir "{localappdata}\shuangsuiji\shuangsuiji"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6B1E4C7A-2F3D-4E58-9A61-5C0D7B2E9F14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={localappdata}\Programs\shuangsuiji
DisableDirPage=auto
DefaultGroupName={#ShortName}
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=shuangsuiji-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupLogging=yes

[Languages]
#ifdef ChineseIsl
Name: "zh"; MessagesFile: "{#ChineseIsl}"
#else
Name: "zh"; MessagesFile: "compiler:Default.isl"

[Messages]
; Written for this installer, used only when ChineseSimplified.isl is not available.
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonNo=否(&N)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&R)…
WelcomeLabel1=欢迎安装 [name]
WelcomeLabel2=将在本机为当前用户安装 [name/ver]，不需要管理员权限，也不需要联网。%n%n建议先关闭正在运行的本程序。
WizardSelectDir=选择安装位置
SelectDirDesc=[name] 安装到哪里？
SelectDirLabel3=安装程序将把 [name] 安装到下列文件夹。
SelectDirBrowseLabel=点击“下一步”继续；如需换一个文件夹，请点击“浏览”。
WizardSelectTasks=选择附加任务
SelectTasksDesc=还需要做哪些事？
SelectTasksLabel2=请选择安装 [name] 时要执行的附加任务，然后点击“下一步”。
WizardReady=准备安装
ReadyLabel1=安装程序已准备好在本机安装 [name]。
ReadyLabel2a=点击“安装”开始；如需查看或修改设置，请点击“上一步”。
ClickNext=点击“下一步”继续，或点击“取消”退出安装。
WizardInstalling=正在安装
InstallingLabel=正在安装 [name]，请稍候……
FinishedHeadingLabel=[name] 安装完成
FinishedLabel=[name] 已安装。可以从“开始”菜单或桌面上的快捷方式启动。
ClickFinish=点击“完成”退出安装程序。
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成，现在退出将不会安装本程序。%n%n确定要退出吗？
ConfirmUninstall=确定要卸载 %1 吗？
UninstallStatusLabel=正在从本机卸载 %1，请稍候……
UninstalledAll=%1 已卸载。
#endif

[CustomMessages]
MyAdditionalIcons=快捷方式：
MyDesktopIcon=在桌面上创建快捷方式
MyLaunch=立即启动 {#ShortName}
MyUninstall=卸载 {#ShortName}
MyDeleteData=是否同时删除本机上的业务数据？%n%n数据目录：%1%n（数据库、日志、导出的记录表和登记表、备份）%n%n删除后无法恢复。选择“否”将保留这些数据，重新安装后可继续使用。
MyDeleteDataFailed=数据目录未能全部删除（可能有文件正被使用）：%n%1%n%n可以稍后手工删除。

[Tasks]
Name: "desktopicon"; Description: "{cm:MyDesktopIcon}"; GroupDescription: "{cm:MyAdditionalIcons}"

[InstallDelete]
; An upgrade replaces the program folder entirely, so no file of an older version (e.g. a migration) lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{group}\{cm:MyUninstall}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#ShortName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:MyLaunch}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program itself may have created in its own folder (Python byte-code caches of the migrations).
Type: filesandordirs; Name: "{app}\_internal"

[Code]
{ The data directory is kept unless the clerk answers 是 (the default button is 否). A silent uninstall keeps
  it too, unless IT passes /DELETEDATA=yes. SHUANGSUIJI_DATA_DIR (a portable install) is never touched. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
  Delete: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{#DataDir}');
  if not DirExists(DataDir) then
    Exit;
  if UninstallSilent then
    Delete := CompareText(ExpandConstant('{param:DELETEDATA|no}'), 'yes') = 0
  else
    Delete := MsgBox(FmtMessage(CustomMessage('MyDeleteData'), [DataDir]),
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if not Delete then
    Exit;
  if not DelTree(DataDir, True, True, True) then
  begin
    if not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('MyDeleteDataFailed'), [DataDir]), mbError, MB_OK);
    Exit;
  end;
  RemoveDir(ExpandConstant('{#DataParent}'));  { only if now empty }
end;
