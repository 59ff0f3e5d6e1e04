Console.WriteLine("ActorDemo: this role is not built yet; see the README.");
return 1;
