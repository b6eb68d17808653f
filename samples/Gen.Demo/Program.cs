System.Console.Write(Gen.SizeClasses.FormatTable());
